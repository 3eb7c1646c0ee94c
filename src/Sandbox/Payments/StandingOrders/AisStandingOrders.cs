using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>
/// A standing order as the AIS APIs show it: a row of the generated StandingOrders table (always Active, as before),
/// or one a partner made through PIS, in the same shape with its next, last and final payments and its status
/// (Active while payments remain; Inactive once cancelled or done).
/// </summary>
public sealed record AisStandingOrder(
    StandingOrder Row, bool Active, long FirstAmountMinor, DateTime? NextPaymentAt, long? NextAmountMinor,
    DateTime? LastPaymentAt = null, long? LastAmountMinor = null, DateTime? FinalPaymentAt = null, long? FinalAmountMinor = null)
{
    public static AisStandingOrder Generated(StandingOrder s) => new(s, true, s.AmountMinor, s.NextPaymentDateTime, s.AmountMinor);
}

/// <summary>The PIS-made standing orders of some accounts, for AIS (unioned with the generated ones by the AIS reads).</summary>
public static class AisStandingOrders
{
    public static async Task<List<AisStandingOrder>> ReadAsync(SandboxDbContext db, IReadOnlyCollection<string> accountIds, CancellationToken ct)
    {
        var rows = await db.DomesticStandingOrders.AsNoTracking()
            .Where(o => accountIds.Contains(o.DebtorAccountId))
            .Join(db.DomesticStandingOrderConsents.AsNoTracking(), o => o.ConsentId, c => c.Id, (o, c) => new { Order = o, Consent = c })
            .ToListAsync(ct);
        return rows.ConvertAll(r => Of(r.Order, r.Consent));
    }

    public static AisStandingOrder Of(DomesticStandingOrder order, DomesticStandingOrderConsent consent)
    {
        var bounded = consent.NumberOfPayments is not null || consent.FinalPaymentDateTime is not null;
        var final = bounded ? consent.Schedule().Instalments().Last() : null;
        var row = new StandingOrder
        {
            Id = order.Id,
            TenantId = order.TenantId,
            AccountId = order.DebtorAccountId,
            Frequency = consent.Frequency,
            Reference = consent.Reference ?? string.Empty,
            FirstPaymentDateTime = consent.FirstPaymentDateTime.UtcDateTime,
            NextPaymentDateTime = order.NextDueAt ?? default,
            LastPaymentDateTime = order.LastPaymentAt,
            AmountMinor = consent.RecurringAmountMinor ?? consent.FirstAmountMinor,
            Currency = consent.Currency,
            CreditorName = consent.CreditorName,
            CreditorSchemeName = consent.CreditorSchemeName,
            CreditorIdentification = consent.CreditorIdentification,
        };
        var active = order.Status == StandingOrderStatus.InitiationCompleted && order.NextDueAt is not null;
        return new AisStandingOrder(row, active, consent.FirstAmountMinor, order.NextDueAt, order.NextAmountMinor,
            order.LastPaymentAt, order.LastAmountMinor, final?.DueAt.UtcDateTime, final?.AmountMinor);
    }
}
