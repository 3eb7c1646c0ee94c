using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Clock;

/// <summary>
/// The state of one tenant's test clock: real time shifted by <see cref="Offset"/> while it runs, or standing at
/// <see cref="FrozenAt"/> while frozen. A new tenant, and a reset one, runs on real time.
/// </summary>
public sealed record ClockState(Guid TenantId, string OrganisationId, TimeSpan Offset, DateTimeOffset? FrozenAt)
{
    public bool Frozen => FrozenAt is not null;

    /// <summary>Real time, unmoved: what a tenant starts with and returns to on reset.</summary>
    public bool IsRealTime => FrozenAt is null && Offset == TimeSpan.Zero;

    public DateTimeOffset Now(DateTimeOffset realNow) => FrozenAt ?? realNow + Offset;

    /// <summary>The same clock standing at (or running from) <paramref name="instant"/>.</summary>
    public ClockState At(DateTimeOffset instant, DateTimeOffset realNow)
        => Frozen ? this with { FrozenAt = instant } : this with { Offset = instant - realNow };
}

/// <summary>
/// Every tenant's test clock (★ none of the Open Banking sandboxes has one). Everything time-dependent in a tenant's
/// bank reads its clock: through <see cref="TenantClock"/> in a request, or <see cref="Now(Guid)"/> where the tenant
/// is known from the data (the save interceptor, the settlement worker, clock work).
/// <para>
/// The state lives in the Tenants table and is cached here; the cache is filled on first use and updated by every
/// change made through this instance. With several Sandbox instances a change made on one is seen by the others
/// after <see cref="CacheFor"/> at most.
/// </para>
/// </summary>
public sealed class TenantClocks(TimeProvider realTime, IServiceScopeFactory scopes)
{
    /// <summary>How long a cached state is trusted before it is read again (other instances may have moved it).</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, Cached> _byTenant = new();
    private readonly ConcurrentDictionary<string, Guid> _tenantOfOrganisation = new(StringComparer.Ordinal);

    /// <summary>Real time: the base every tenant's clock is shifted from.</summary>
    public TimeProvider RealTime => realTime;

    public DateTimeOffset Now(Guid tenantId) => Get(tenantId)?.Now(realTime.GetUtcNow()) ?? realTime.GetUtcNow();

    /// <summary>The organisation's bank's time; real time for an organisation with no sandbox bank yet.</summary>
    public DateTimeOffset Now(string organisationId) => Get(organisationId)?.Now(realTime.GetUtcNow()) ?? realTime.GetUtcNow();

    public ClockState? Get(string organisationId)
    {
        if (_tenantOfOrganisation.TryGetValue(organisationId, out var tenantId))
        {
            return Get(tenantId);
        }

        var state = Load(db => db.Tenants.AsNoTracking().Where(t => t.OrganisationId == organisationId));
        return state is null ? null : Remember(state);
    }

    public ClockState? Get(Guid tenantId)
    {
        if (_byTenant.TryGetValue(tenantId, out var cached) && (cached.LoadedAt == DateTimeOffset.MaxValue || realTime.GetUtcNow() - cached.LoadedAt < CacheFor))
        {
            return cached.State;
        }

        var state = Load(db => db.Tenants.AsNoTracking().Where(t => t.Id == tenantId));
        return state is null ? null : Remember(state);
    }

    /// <summary>The tenants whose clock is not plain real time (shifted or frozen), from the database.</summary>
    public async Task<IReadOnlyList<ClockState>> MovedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var states = await db.Tenants.AsNoTracking()
            .Where(t => t.ClockFrozenAt != null || t.ClockOffset != TimeSpan.Zero)
            .Select(t => new ClockState(t.Id, t.OrganisationId, t.ClockOffset, t.ClockFrozenAt))
            .ToListAsync(ct);
        foreach (var state in states)
        {
            Remember(state);
        }

        return states;
    }

    /// <summary>Stores a new state (the caller has checked it never moves time backwards) and caches it.</summary>
    public async Task<ClockState> SaveAsync(ClockState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        await db.Tenants.Where(t => t.Id == state.TenantId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.ClockOffset, state.Offset)
            .SetProperty(t => t.ClockFrozenAt, state.FrozenAt), ct);
        return Remember(state);
    }

    /// <summary>
    /// Sets the clock in this instance only, until the next <see cref="SaveAsync"/> or <see cref="Forget"/>: the
    /// stops of an advance, which need not each be written (the move is saved once, when it is done).
    /// </summary>
    public ClockState Hold(ClockState state)
    {
        _tenantOfOrganisation[state.OrganisationId] = state.TenantId;
        _byTenant[state.TenantId] = new Cached(state, DateTimeOffset.MaxValue);
        return state;
    }

    /// <summary>Forgets what is cached of a tenant (its bank was reset or removed).</summary>
    public void Forget(Guid tenantId) => _byTenant.TryRemove(tenantId, out _);

    private ClockState Remember(ClockState state)
    {
        _tenantOfOrganisation[state.OrganisationId] = state.TenantId;
        _byTenant[state.TenantId] = new Cached(state, realTime.GetUtcNow());
        return state;
    }

    private ClockState? Load(Func<SandboxDbContext, IQueryable<Tenant>> query)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        return query(db).Select(t => new ClockState(t.Id, t.OrganisationId, t.ClockOffset, t.ClockFrozenAt)).SingleOrDefault();
    }

    private sealed record Cached(ClockState State, DateTimeOffset LoadedAt);
}
