using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenBanking.Sandbox.Fraud;

/// <summary>Fraud screening beside the risk rules (issue 21, docs/fraud.md).</summary>
public static class FraudRegistration
{
    public static IHostApplicationBuilder AddFraudScreening(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FraudOptions>().BindConfiguration(FraudOptions.SectionName);
        builder.Services.AddSingleton<FraudModel>();
        // The loaded model is the dashboard's status (it says plainly when the rules decide alone).
        builder.Services.AddSingleton<IFraudModelStatus>(sp => sp.GetRequiredService<FraudModel>());
        builder.Services.TryAddSingleton<IFraudModelStatus, RulesOnlyModelStatus>();
        builder.Services.AddHostedService<FraudModelLoader>();
        builder.Services.AddHealthChecks().AddCheck<FraudModelHealthCheck>("fraud-model", tags: ["ready"]);
        return builder;
    }
}
