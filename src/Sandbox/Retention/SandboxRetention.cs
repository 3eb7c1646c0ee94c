using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.ServiceDefaults.Retention;

namespace OpenBanking.Sandbox.Retention;

/// <summary><c>Sandbox:Retention</c> settings.</summary>
public sealed class SandboxRetentionOptions : RetentionSettings
{
    public const string SectionName = "Sandbox:Retention";

    /// <summary>
    /// An account-access or funds-confirmation consent that ended (expired, withdrawn, revoked, rejected, deleted by the
    /// app, or left unauthorised) is deleted this many days after it ended, with its status history and the funds checks
    /// made with it: long enough for the customer to see and download it on the connected-apps page, and for the
    /// consent inspector and the grant records (90 days) to explain it.
    /// </summary>
    public int EndedConsentDays { get; set; } = 90;
}

/// <summary>
/// The Sandbox's retention of customers' consents (issue 22). Account-access and funds-confirmation consents go
/// <see cref="SandboxRetentionOptions.EndedConsentDays"/> after they end, with their status-change rows and funds checks.
/// Payment consents of every kind are kept: each payment (and its ledger entries, never edited) references its consent,
/// and a payment's record is the bank's financial record, kept for the tenant's life (a tenant reset deletes it).
/// Event notifications, delivery attempts and delivered outbox rows are pruned by <c>EventDeliverer</c>
/// (<c>Sandbox:Events:Retention</c>), idempotency keys after 24 hours by the settlement worker. Real time decides,
/// not a tenant's clock: a partner moving their tenant's clock forward must not make the bank forget sooner.
/// </summary>
public sealed class SandboxRetention(IServiceScopeFactory scopes, TimeProvider time, IOptions<SandboxRetentionOptions> options, ILogger<SandboxRetention> logger)
    : RetentionWorker(time, logger)
{
    protected override RetentionSettings Settings => options.Value;

    public override async Task<IReadOnlyDictionary<string, int>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNow() - TimeSpan.FromDays(options.Value.EndedConsentDays);
        var batch = options.Value.BatchSize;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();

        // SQLite cannot compare DateTimeOffset columns: the database narrows to consents that may have ended, the
        // dates are compared here, and the deletes go by id, a batch per statement.
        var access = (await db.AccountAccessConsents.AsNoTracking()
                .Where(c => c.DeletedAt != null || c.AccessRevokedAt != null || c.ExpirationDateTime != null || c.Status != ConsentStatus.Authorised)
                .Select(c => new { c.Id, c.Status, c.DeletedAt, c.AccessRevokedAt, c.ExpirationDateTime, c.StatusUpdateDateTime, c.CreationDateTime })
                .ToListAsync(cancellationToken))
            .Where(c => EndedBefore(cutoff, c.Status, c.DeletedAt, c.AccessRevokedAt, c.ExpirationDateTime, c.StatusUpdateDateTime))
            .Select(c => c.Id).ToList();
        var funds = (await db.FundsConfirmationConsents.AsNoTracking()
                .Where(c => c.DeletedAt != null || c.ExpirationDateTime != null || c.Status != ConsentStatus.Authorised)
                .Select(c => new { c.Id, c.Status, c.DeletedAt, c.ExpirationDateTime, c.StatusUpdateDateTime })
                .ToListAsync(cancellationToken))
            .Where(c => EndedBefore(cutoff, c.Status, c.DeletedAt, null, c.ExpirationDateTime, c.StatusUpdateDateTime))
            .Select(c => c.Id).ToList();

        var history = 0;
        var checks = 0;
        foreach (var ids in access.Concat(funds).Chunk(batch))
        {
            // History and checks first, the consent last: a failure half-way leaves a consent to find again next run.
            history += await db.ConsentStatusChanges.Where(h => ids.Contains(h.ConsentId)).ExecuteDeleteAsync(cancellationToken);
            checks += await db.FundsConfirmations.Where(f => ids.Contains(f.ConsentId)).ExecuteDeleteAsync(cancellationToken);
            await db.AccountAccessConsents.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
            await db.FundsConfirmationConsents.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        return new Dictionary<string, int>
        {
            ["account-access consents"] = access.Count,
            ["funds-confirmation consents"] = funds.Count,
            ["funds confirmations"] = checks,
            ["consent status changes"] = history,
        };
    }

    /// <summary>Whether a consent stopped granting anything before the cutoff, and when it did.</summary>
    internal static bool EndedBefore(
        DateTimeOffset cutoff, ConsentStatus status, DateTimeOffset? deletedAt, DateTimeOffset? accessRevokedAt, DateTimeOffset? expiration, DateTimeOffset statusUpdated)
        => deletedAt < cutoff
            || accessRevokedAt < cutoff
            || expiration < cutoff
            // Rejected, revoked, or never authorised: it ended at its last status change.
            || (status is not ConsentStatus.Authorised and not ConsentStatus.Consumed && statusUpdated < cutoff);
}
