namespace OpenBanking.Sandbox.Payments.International;

/// <summary>International payments, v3.1.11 and v4.0 (issue 18).</summary>
public static class InternationalRegistration
{
    // FOUNDATION PLACEHOLDER (issue 18): the international-payments package fills this file in.
    public static IHostApplicationBuilder AddInternationalPayments(this IHostApplicationBuilder builder) => builder;

    public static IEndpointRouteBuilder MapInternationalPaymentsApi(this IEndpointRouteBuilder app) => app;
}
