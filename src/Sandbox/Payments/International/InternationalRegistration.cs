namespace OpenBanking.Sandbox.Payments.International;

/// <summary>International payments, v3.1.11 and v4.0 (issue 18; docs/international-payments.md).</summary>
public static class InternationalRegistration
{
    /// <summary>The API's service, the consent step the payment pipeline runs for it, its pricing and its ledger.</summary>
    public static IHostApplicationBuilder AddInternationalPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<InternationalPricer>();
        builder.Services.AddScoped<InternationalLedger>();
        builder.Services.AddScoped<CheckInternationalConsent>();
        builder.Services.AddScoped<InternationalService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapInternationalPaymentsApi(this IEndpointRouteBuilder app) => app.MapInternationalPayments();
}
