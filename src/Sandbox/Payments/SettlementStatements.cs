using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// The payment status changes written as SQL rather than through tracked entities — the one place they are, so the
/// outbox row that must accompany every status change can be added here. Today: Pending → AcceptedSettlementInProcess
/// for every due payment at once (one statement whatever their number; the settlement worker's busiest step).
/// </summary>
internal static class SettlementStatements
{
    /// <summary>Sends up to <paramref name="limit"/> due Pending payments for settlement; those it moved, with their scenario.</summary>
    /// <param name="tenants">Which tenants' payments: one tenant on its own clock, or all but those on moved clocks.</param>
    public static async Task<List<SentPayment>> SendForSettlementAsync(
        SandboxDbContext tx, SettlementScope tenants, DateTime now, DateTime stamp, DateTime settleAt, DateTime slowSettleAt, int limit, CancellationToken ct)
    {
        // Only the rows this statement changed come back, so the history written for them is exact even if another
        // worker moved some meanwhile. Statuses are parameters, written as the entity configuration stores them.
        List<object> parameters = [nameof(PaymentStatus.Pending), nameof(PaymentStatus.AcceptedSettlementInProcess), now, stamp, settleAt, slowSettleAt,
            nameof(Scenario.SlowSettlement), limit];
        var tenantFilter = TenantFilter(tenants, parameters);
        const string set = "\"Status\" = {1}, \"StatusUpdateDateTime\" = {3}, \"Version\" = \"Version\" + 1, "
            + "\"NextActionAt\" = CASE WHEN \"Scenario\" = {6} THEN {5} ELSE {4} END";
        var sql = tx.Database.IsSqlite()
            ? $"UPDATE \"DomesticPayments\" SET {set} WHERE \"Id\" IN (SELECT \"Id\" FROM \"DomesticPayments\" "
                + $"WHERE \"Status\" = {{0}} AND \"NextActionAt\" IS NOT NULL AND \"NextActionAt\" <= {{2}}{tenantFilter} ORDER BY \"NextActionAt\" LIMIT {{7}}) "
                + "RETURNING \"Id\", \"Scenario\", \"TenantId\", \"ClientId\", \"Version\", \"Kind\""
            : $"UPDATE TOP ({{7}}) \"DomesticPayments\" SET {set} OUTPUT INSERTED.\"Id\", INSERTED.\"Scenario\", INSERTED.\"TenantId\", INSERTED.\"ClientId\", INSERTED.\"Version\", INSERTED.\"Kind\" "
                + $"WHERE \"Status\" = {{0}} AND \"NextActionAt\" IS NOT NULL AND \"NextActionAt\" <= {{2}}{tenantFilter}";
        var sent = await tx.Database.SqlQueryRaw<SentPayment>(sql, [.. parameters]).ToListAsync(ct);

        // The statement bypasses the change tracker, so its outbox rows are added here, in the same transaction.
        tx.OutboxMessages.AddRange(sent.Select(p => Outbox.StatusChanged(DomesticPayment.ResourceOf(Enum.Parse<PaymentKind>(p.Kind)), p.Id, p.TenantId, p.ClientId,
            nameof(PaymentStatus.AcceptedSettlementInProcess), p.Version, new DateTimeOffset(now, TimeSpan.Zero))));
        return sent;
    }

    /// <summary>The SQL condition on the tenant (appended after the others), its values added to <paramref name="parameters"/>.</summary>
    private static string TenantFilter(SettlementScope tenants, List<object> parameters)
    {
        if (tenants.TenantId is { } only)
        {
            parameters.Add(only);
            return $" AND \"TenantId\" = {{{parameters.Count - 1}}}";
        }

        if (tenants.Except.Count == 0)
        {
            return string.Empty;
        }

        var placeholders = new List<string>(tenants.Except.Count);
        foreach (var tenantId in tenants.Except)
        {
            parameters.Add(tenantId);
            placeholders.Add($"{{{parameters.Count - 1}}}");
        }

        return $" AND \"TenantId\" NOT IN ({string.Join(", ", placeholders)})";
    }
}

/// <summary>
/// Which tenants a settlement round moves: one tenant (on its own test clock), or every tenant except those whose
/// clock is moved or frozen (they are moved by their own clock, and not at all while frozen).
/// </summary>
public sealed record SettlementScope(Guid? TenantId, IReadOnlyCollection<Guid> Except)
{
    public static readonly SettlementScope RealTimeTenants = new(null, []);

    public static SettlementScope Tenant(Guid tenantId) => new(tenantId, []);
}

internal sealed record SentPayment(string Id, string? Scenario, Guid TenantId, string ClientId, int Version, string Kind);
