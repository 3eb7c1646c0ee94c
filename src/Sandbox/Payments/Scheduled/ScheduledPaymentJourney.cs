using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Internal;
using static OpenBanking.Sandbox.Internal.InternalConsentsApi;

namespace OpenBanking.Sandbox.Payments.Scheduled;

/// <summary>
/// A scheduled payment in the consent journey: paid from one of the customer's accounts of its currency (the one the
/// app named, if any), shown with its date. On the dashboard until it is executed, so the customer can cancel it:
/// revoking an authorised consent rejects it; revoking a consumed one cancels its pending scheduled payment.
/// </summary>
internal sealed class ScheduledPaymentJourney : ConsentJourney
{
    public const string KindName = "DomesticScheduledPayment";

    /// <summary>UK time for people (a payment at 00:30 UTC in summer is on the next day in London).</summary>
    private static readonly TimeZoneInfo London = FindLondon();

    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.DomesticScheduledPayment);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.DomesticScheduledPaymentConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => CheckOneAccount(customerId, accountIds);

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var c = (DomesticScheduledPaymentConsent)consent;
        var account = (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == accountIds[0] && a.CustomerId == customerId);
        if (account is null)
        {
            return Problems(("accountIds", $"Pay from one of your own {c.Currency} accounts{(c.DebtorIdentification is null ? string.Empty : " — the one the app named")}."));
        }

        c.DebtorAccountId = account.Id;
        return [];
    }

    public override async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (DomesticScheduledPaymentConsent)consent;
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.DebtorAccountId is { } chosen ? [chosen]
            : c.DebtorIdentification is null ? []
            : (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return Summary(c, organisationId, accountIds);
    }

    /// <summary>Revoking a consumed consent cancels its scheduled payment, unless that has already been executed.</summary>
    public override async Task<string?> RevokeAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        if (consent.Status != ConsentStatus.Consumed)
        {
            return null;
        }

        var payment = await db.DomesticScheduledPayments.SingleOrDefaultAsync(p => p.ConsentId == consent.Id, ct);
        if (payment is null || payment.Status != ScheduledPaymentStatus.InitiationPending)
        {
            return $"The scheduled payment is {payment?.Status.ToString() ?? "gone"}; only one not yet executed can be cancelled.";
        }

        // Status time and outbox row come from the save (DomainChangesInterceptor), on the tenant's clock.
        payment.Status = ScheduledPaymentStatus.Cancelled;
        payment.StatusReason = DomesticScheduledPayment.CancelledByCustomer;
        if (await db.ScheduledPayments.FindAsync([payment.Id], ct) is { } listed)
        {
            db.ScheduledPayments.Remove(listed);
        }

        return null;
    }

    /// <summary>The customer's scheduled payments still to come: authorised consents, and consumed ones whose payment waits.</summary>
    public static Task<List<DomesticScheduledPaymentConsent>> OutstandingAsync(SandboxDbContext db, Guid tenantId, string customerId, CancellationToken ct)
        => db.DomesticScheduledPaymentConsents.AsNoTracking()
            .Where(c => c.TenantId == tenantId && c.CustomerId == customerId
                && (c.Status == PaymentConsentStatus.Authorised
                    || (c.Status == PaymentConsentStatus.Consumed
                        && db.DomesticScheduledPayments.Any(p => p.ConsentId == c.Id && p.Status == ScheduledPaymentStatus.InitiationPending))))
            .ToListAsync(ct);

    public static ConsentSummary Summary(DomesticScheduledPaymentConsent c, string organisationId, IReadOnlyList<string>? accountIds = null) => new(
        c.Id, KindName, c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name((ConsentStatus)c.Status), [], null, null, null,
        c.CreationDateTime, c.CustomerId, accountIds ?? (c.DebtorAccountId is { } chosen ? [chosen] : []), null, c.Currency,
        new PaymentSummary(Money.Format(c.AmountMinor), c.Currency, c.CreditorName, c.CreditorSchemeName, c.CreditorIdentification, c.Reference,
            c.DebtorIdentification is not null),
        c.LastUsedAt,
        [$"{Money.Display(c.AmountMinor, c.Currency)} to {c.CreditorName} on {Day(c.RequestedExecutionDateTime)}"]);

    /// <summary>"1 January 2027", the UK date of a UTC instant.</summary>
    public static string Day(DateTime utc)
        => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), London).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            // A container without time-zone data: UTC is London's winter time.
            return TimeZoneInfo.Utc;
        }
    }
}
