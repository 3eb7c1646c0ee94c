using System.Security.Cryptography;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBanking.ServiceDefaults.Privacy;

/// <summary>Keeps personal data and secrets out of the service's logs (see <see cref="AddLogRedaction{TBuilder}"/>).</summary>
public static class PrivacyExtensions
{
    /// <summary>
    /// Two layers on the logging pipeline: classified <c>[LoggerMessage]</c> parameters are redacted by their class
    /// (<see cref="DataTaxonomy"/>: personal and financial data to a keyed hash, secrets erased), and everything else
    /// — framework and library messages included — passes through the <see cref="LogScrubber"/> before any provider.
    /// The hash key is <c>Privacy:LogPseudonymKey</c> (base64, at least 32 bytes); Development has a fixed default,
    /// elsewhere an unset key is random per process (pseudonyms then correlate within one process only).
    /// </summary>
    public static TBuilder AddLogRedaction<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var key = builder.Configuration[Pseudonymizer.KeyConfigurationKey] is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : builder.Environment.IsDevelopment() ? Pseudonymizer.DevelopmentKey : RandomNumberGenerator.GetBytes(32);
        var pseudonymizer = new Pseudonymizer(key);
        builder.Services.AddSingleton(pseudonymizer);
        builder.Services.AddSingleton(new LogScrubber(pseudonymizer));
        builder.Services.AddSingleton(new PseudonymRedactor(pseudonymizer));

        builder.Services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(DataTaxonomy.SecretData));
            redaction.SetRedactor<PseudonymRedactor>(
                new DataClassificationSet(DataTaxonomy.PersonalData), new DataClassificationSet(DataTaxonomy.FinancialData));
            // A class nobody mapped is treated as a secret: an unknown classification must not leak.
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
        // Without a discriminator the same value hashes alike in every field and service: an email logged as a
        // recipient and as a sign-in name correlates.
        builder.Logging.EnableRedaction(options => options.ApplyDiscriminator = false);

        // EnableRedaction put the extended logger factory in place; the scrubbing wrapper goes around it.
        var factory = builder.Services.Last(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService);
        builder.Services.Remove(factory);
        builder.Services.AddSingleton<ILoggerFactory>(services =>
            new ScrubbingLoggerFactory(Create(services, factory), services.GetRequiredService<LogScrubber>()));

        return builder;
    }

    private static ILoggerFactory Create(IServiceProvider services, ServiceDescriptor descriptor)
        => (ILoggerFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
