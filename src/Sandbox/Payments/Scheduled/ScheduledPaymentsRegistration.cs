using OpenBanking.Sandbox.Clock;

namespace OpenBanking.Sandbox.Payments.Scheduled;

internal static class ScheduledPaymentsRegistration
{
    /// <summary>Scheduled payments: their service, and their execution on each tenant's clock.</summary>
    public static IHostApplicationBuilder AddScheduledPayments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ScheduledPaymentService>();
        builder.Services.AddScoped<ScheduledPaymentExecution>();
        builder.Services.AddScoped<IClockWork>(services => services.GetRequiredService<ScheduledPaymentExecution>());
        return builder;
    }
}
