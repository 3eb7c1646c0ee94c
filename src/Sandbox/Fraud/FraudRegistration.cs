using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenBanking.Sandbox.Fraud;

/// <summary>Fraud screening beside the risk rules (issue 21, docs/fraud.md).</summary>
public static class FraudRegistration
{
    public static IHostApplicationBuilder AddFraudScreening(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IFraudModelStatus, RulesOnlyModelStatus>();
        return builder;
    }
}
