using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Funds;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments;

internal static class PaymentsRegistration
{
    /// <summary>
    /// Payment consents, the payment pipeline and its steps, the risk screen and the settlement worker; and the
    /// Confirmation of Funds rules (the other money-facing API, shared by its versions like the payment pipeline).
    /// </summary>
    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<PaymentOptions>(builder.Configuration.GetSection(PaymentOptions.SectionName));
        builder.Services.AddSingleton<GroupCommitter>();
        builder.Services.AddSingleton<RiskProfileCache>();
        builder.Services.AddSingleton<IFaultInjector, NoFaults>();
        builder.Services.AddScoped<RiskProfiles>();
        builder.Services.AddScoped<WriteTransaction>();
        builder.Services.AddScoped<ClaimIdempotencyKey>();
        builder.Services.AddScoped<AuthoriseCaller>();
        builder.Services.AddScoped<CheckAndConsumeConsent>();
        builder.Services.AddScoped<ScreenRisk>();
        builder.Services.AddScoped<PostToLedger>();
        builder.Services.AddScoped<ScheduleSettlement>();
        builder.Services.AddScoped<PaymentPipeline>();
        builder.Services.AddScoped<PaymentService>();
        builder.Services.AddScoped<Vrp.CheckVrpConsent>();
        builder.Services.AddScoped<Vrp.VrpService>();
        builder.Services.AddScoped<FundsConfirmationRules>();
        builder.Services.AddScoped<PaymentSettlement>();
        builder.Services.AddScoped<IClockWork>(services => services.GetRequiredService<PaymentSettlement>());
        builder.Services.AddHostedService<PaymentSettlementWorker>();
        // Standing orders (issue 16): the API's service and the clock work that makes their payments.
        builder.Services.AddScoped<StandingOrders.StandingOrderService>();
        builder.Services.AddScoped<StandingOrders.StandingOrderExecution>();
        builder.Services.AddScoped<IClockWork>(services => services.GetRequiredService<StandingOrders.StandingOrderExecution>());
        return builder;
    }
}
