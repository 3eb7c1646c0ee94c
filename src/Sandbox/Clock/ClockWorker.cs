using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Clock;

/// <summary>
/// Runs what falls due while clocks run on their own (real time, or shifted and not frozen): a scheduled payment
/// for tomorrow executes tomorrow without anyone advancing the clock. Settlement has its own faster worker
/// (<see cref="PaymentSettlementWorker"/>); this one runs every other <see cref="IClockWork"/>.
/// </summary>
public sealed partial class ClockWorker(IServiceScopeFactory scopes, TenantClocks clocks, IOptions<PaymentOptions> options, ILogger<ClockWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ClockWorkInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>One round over every tenant whose clock runs.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        List<Guid> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            tenants = await scope.ServiceProvider.GetRequiredService<SandboxDbContext>().Tenants.AsNoTracking()
                .Where(t => t.ClockFrozenAt == null).Select(t => t.Id).ToListAsync(ct);
        }

        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = clocks.Now(tenantId);
            foreach (var work in scope.ServiceProvider.GetServices<IClockWork>().Where(w => w is not PaymentSettlement))
            {
                if (await work.NextDueAsync(tenantId, now, ct) is not null)
                {
                    await work.RunDueAsync(tenantId, now, ct);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of the sandbox clock's due work failed; it is retried on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
