using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBanking.ServiceDefaults.Privacy;
using OpenBanking.TestKit;

namespace OpenBanking.Platform.Tests.Privacy;

/// <summary>
/// The whole logging pipeline as services build it (<c>AddLogRedaction</c>): classified parameters of generated log
/// messages are redacted by their class, everything else is scrubbed, and a provider added afterwards — here a
/// capturing one — sees only the clean result, in the message and in the structured values.
/// </summary>
public sealed partial class LogRedactionTests : IDisposable
{
    private readonly CapturingLoggerProvider _captured = new();
    private readonly IHost _host;
    private readonly ILogger _logger;

    public LogRedactionTests()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.AddLogRedaction();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_captured);
        _host = builder.Build();
        _logger = _host.Services.GetRequiredService<ILogger<LogRedactionTests>>();
    }

    [Fact]
    public void ClassifiedPersonalData_IsLoggedAsItsKeyedHash()
    {
        Registered(_logger, "Nia Owner", "nia.owner@new-wallet.example");

        var entry = Assert.Single(_captured.Entries);
        var pseudonyms = _host.Services.GetRequiredService<Pseudonymizer>();
        Assert.Equal($"Partner {pseudonyms.Of("Nia Owner")} registered with {pseudonyms.Of("nia.owner@new-wallet.example")}", entry.Message);
        Assert.Equal(pseudonyms.Of("Nia Owner"), entry.Values["Name"]);
        Assert.DoesNotContain("Nia", entry.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifiedSecretsAndFinancialData_NeverAppear()
    {
        TokenIssued(_logger, "demo-wallet", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln", "20457741234567");

        var entry = Assert.Single(_captured.Entries);
        Assert.DoesNotContain("eyJ", entry.Everything, StringComparison.Ordinal);
        Assert.DoesNotContain("20457741234567", entry.Everything, StringComparison.Ordinal);
        Assert.Contains("demo-wallet", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclassifiedFrameworkStyleMessages_AreScrubbed_InMessageAndValues()
    {
        _logger.LogInformation("Request starting {Protocol} {Method} {Scheme}://{Host}{PathBase}{Path}{QueryString}",
            "HTTP/1.1", "GET", "http", "localhost:5001", "", "/connect/authorize", "?client_id=demo-wallet&login_hint=nia%40new-wallet.example&code=c0de-123");

        var entry = Assert.Single(_captured.Entries);
        Assert.DoesNotContain("c0de-123", entry.Everything, StringComparison.Ordinal);
        Assert.DoesNotContain("nia", entry.Everything, StringComparison.Ordinal);
        Assert.Contains("client_id=demo-wallet", entry.Message, StringComparison.Ordinal);
        Assert.Equal("/connect/authorize", entry.Values["Path"]);
    }

    [Fact]
    public void UnclassifiedParametersOfGeneratedMessages_AreScrubbed()
    {
        Forwarded(_logger, "https://bank.example/callback?code=abc-Secret-1&state=s");

        var entry = Assert.Single(_captured.Entries);
        Assert.DoesNotContain("abc-Secret-1", entry.Everything, StringComparison.Ordinal);
        Assert.Contains("state=s", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExceptionTexts_AreScrubbed()
    {
        _logger.LogError(new InvalidOperationException("No user nia.owner@new-wallet.example with password=Pw-1234567"), "Sign-in failed");

        var entry = Assert.Single(_captured.Entries);
        Assert.DoesNotContain("nia.owner", entry.Everything, StringComparison.Ordinal);
        Assert.DoesNotContain("Pw-1234567", entry.Everything, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), entry.Exception, StringComparison.Ordinal);
    }

    [Fact]
    public void Scopes_AreScrubbed()
    {
        using (_logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = "/cb", ["Email"] = "nia@new-wallet.example" }))
        {
            _logger.LogInformation("inside");
        }

        Assert.DoesNotContain(_captured.Scopes, scope => scope.Contains("nia@", StringComparison.Ordinal));
        Assert.Contains(_captured.Scopes, scope => scope.Contains("/cb", StringComparison.Ordinal));
    }

    [Fact]
    public void CleanLines_PassThroughUnchanged()
    {
        _logger.LogInformation("Consent {ConsentId} authorised for {ClientId}", "aac-3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "demo-wallet");

        var entry = Assert.Single(_captured.Entries);
        Assert.Equal("Consent aac-3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d authorised for demo-wallet", entry.Message);
    }

    public void Dispose() => _host.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner {Name} registered with {Email}")]
    private static partial void Registered(ILogger logger, [PersonalData] string name, [PersonalData] string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token for {ClientId}: {AccessToken} on {Account}")]
    private static partial void TokenIssued(ILogger logger, string clientId, [SecretData] string accessToken, [FinancialData] string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarded to {Destination}")]
    private static partial void Forwarded(ILogger logger, string destination);
}
