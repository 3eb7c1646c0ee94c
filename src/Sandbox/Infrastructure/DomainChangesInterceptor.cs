using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// The one place consents' and payments' changes are recorded, as they are saved: for each <see cref="IStatusTracked"/>
/// entity the save changes, the version (its concurrency token) is bumped once, the status-update time set when the
/// status changed, and an <see cref="OutboxMessage"/> added — in the save's own transaction, so a change and its row
/// commit or roll back together. Set-based updates bypass it (their callers add rows with <see cref="Outbox"/>).
/// Beside every outbox row about a consent — its own or a caller's — it adds the consent's durable history row
/// (<see cref="ConsentStatusChange"/>, <see cref="ConsentHistory"/>), in the same save.
/// </summary>
public sealed class DomainChangesInterceptor(TenantClocks clocks, Events.EventSignal signal) : SaveChangesInterceptor
{
    // Rows this interceptor added to the save under way, detached when it ends (failed or not).
    private readonly ConditionalWeakTable<DbContext, List<object>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // Once written, the rows are nobody's business in this context: detached, later saves do not scan them. The event
    // dispatcher is woken at once; in a transaction the rows are not visible until it commits, and the dispatcher's
    // idle poll picks them up then.
    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Written(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Written(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Written(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out _))
        {
            signal.Outbox.Set();
        }

        TakeBack(context);
    }

    // A failed save wrote nothing: its rows are taken back, a retry writes its own.
    public override void SaveChangesFailed(DbContextErrorEventData eventData) => TakeBack(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TakeBack(eventData.Context);
        return Task.CompletedTask;
    }

    // A concurrency conflict is reported here instead of SaveChangesFailed.
    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        TakeBack(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(
        ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        TakeBack(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => TakeBack(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        TakeBack(eventData.Context);
        return Task.CompletedTask;
    }

    private void Record(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<object>? added = null;
        var own = new HashSet<OutboxMessage>(ReferenceEqualityComparer.Instance);
        // Each tenant's bank runs on its own test clock; a save normally touches one tenant.
        Dictionary<Guid, DateTimeOffset>? times = null;
        // Entries<T>() detects changes first, so properties set without tracking proxies are seen.
        foreach (var entry in context.ChangeTracker.Entries<IStatusTracked>().ToList())
        {
            times ??= [];
            if (!times.TryGetValue(entry.Entity.TenantId, out var now))
            {
                now = times[entry.Entity.TenantId] = clocks.Now(entry.Entity.TenantId);
            }

            var changes = Changes(entry, now);
            foreach (var change in changes)
            {
                var message = Outbox.For(entry.Entity, change, now);
                context.Add(message);
                own.Add(message);
                (added ??= []).Add(message);
            }

            if (entry.Entity is IConsent consent && ConsentHistory.For(entry, consent, changes, now, clocks.RealTime.GetUtcNow()) is { } history)
            {
                context.Add(history);
                (added ??= []).Add(history);
            }
        }

        // Rows a set-based update's caller added itself (Outbox.StatusChanged) wake the dispatcher too, and a consent's
        // get their history row here.
        foreach (var caller in context.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added && !own.Contains(e.Entity)).ToList())
        {
            added ??= [];
            if (ConsentHistory.ForMessage(caller.Entity, clocks.RealTime.GetUtcNow()) is { } history)
            {
                context.Add(history);
                added.Add(history);
            }
        }

        if (added is not null)
        {
            _pending.AddOrUpdate(context, added);
        }
    }

    /// <summary>What changed, after bumping the version and stamping the status time of a modified entity.</summary>
    private static List<OutboxChange> Changes(EntityEntry<IStatusTracked> entry, DateTimeOffset now)
    {
        if (entry.State == EntityState.Added)
        {
            // Created in its first status, which dates from its creation; its version stays as created (0).
            if (entry.Property("StatusUpdateDateTime").CurrentValue is DateTimeOffset { Ticks: 0 } or DateTime { Ticks: 0 })
            {
                entry.Entity.StampStatusUpdate(entry.Property("CreationDateTime").CurrentValue switch
                {
                    DateTimeOffset created => created,
                    DateTime created => new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)),
                    _ => now,
                });
            }

            return [OutboxChange.StatusChanged];
        }

        if (entry.State != EntityState.Modified)
        {
            return [];
        }

        var changes = new List<OutboxChange>(1);
        var status = entry.Property(nameof(IConsent.Status));
        if (status.IsModified && !Equals(status.OriginalValue, status.CurrentValue))
        {
            changes.Add(OutboxChange.StatusChanged);
            // A status time set explicitly (by code that has not yet left it to this) is kept.
            if (!entry.Property("StatusUpdateDateTime").IsModified)
            {
                entry.Entity.StampStatusUpdate(now);
            }
        }

        if (IsModified(entry, "AccountIds"))
        {
            changes.Add(OutboxChange.LinkedAccountsChanged);
        }

        if (IsSet(entry, nameof(IWithdrawableConsent.AccessRevokedAt)))
        {
            changes.Add(OutboxChange.AccessRevoked);
        }

        if (IsSet(entry, nameof(IDeletableConsent.DeletedAt)))
        {
            changes.Add(OutboxChange.Deleted);
        }

        // One bump per save that changes anything, unless the code bumped it itself (then it is not bumped twice).
        var version = entry.Property(nameof(IStatusTracked.Version));
        if (!version.IsModified && entry.Properties.Any(p => p.IsModified))
        {
            entry.Entity.Version++;
        }

        return changes;
    }

    private static bool IsModified(EntityEntry entry, string property)
        => entry.Metadata.FindProperty(property) is not null && entry.Property(property).IsModified;

    private static bool IsSet(EntityEntry entry, string property)
        => IsModified(entry, property) && entry.Property(property) is { CurrentValue: not null, OriginalValue: null };

    private void TakeBack(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var added))
        {
            return;
        }

        foreach (var row in added)
        {
            context.Entry(row).State = EntityState.Detached;
        }

        _pending.Remove(context);
    }
}
