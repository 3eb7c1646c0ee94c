using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Internal;
using static OpenBanking.Sandbox.Internal.InternalConsentsApi;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>
/// A VRP consent in the customer's journey: given from one of their accounts of its currency (the one the app named,
/// if it named one); a sweeping-only consent that names its payee must name another account of theirs. The page
/// shows its limits in plain words (<see cref="VrpTerms"/>).
/// </summary>
internal sealed class DomesticVrpJourney : ConsentJourney
{
    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.DomesticVrp);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.DomesticVrpConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => CheckOneAccount(customerId, accountIds);

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var c = (DomesticVrpConsent)consent;
        var account = (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == accountIds[0] && a.CustomerId == customerId);
        if (account is null)
        {
            return Problems(("accountIds", $"Pay from one of your own {c.Currency} accounts{(c.DebtorIdentification is null ? string.Empty : " — the one the app named")}."));
        }

        // Sweeping moves money between the customer's own accounts: checked here when the consent allows nothing else
        // and names its payee, and on every sweeping payment.
        if (c.Controls().VrpTypes.All(t => t == VrpControls.Sweeping) && c.CreditorIdentification is { } payee)
        {
            var own = await db.Accounts.AsNoTracking().AnyAsync(a => a.TenantId == c.TenantId && a.CustomerId == customerId
                && a.Identification == payee && a.SchemeName == c.CreditorSchemeName && a.Id != account.Id, ct);
            if (!own)
            {
                return Problems(("accountIds", "This is a sweeping consent: it can only move money to another of your own accounts, and the app named one that is not yours."));
            }
        }

        c.DebtorAccountId = account.Id;
        return [];
    }

    public override async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (DomesticVrpConsent)consent;
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.DebtorAccountId is { } chosen ? [chosen]
            : c.DebtorIdentification is null ? []
            : (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return Summary(c, organisationId, accountIds);
    }

    public static ConsentSummary Summary(DomesticVrpConsent c, string organisationId, IReadOnlyList<string>? accountIds = null) => new(
        c.Id, "DomesticVrp", c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name(c.Status), [], c.ValidToDateTime, null, null,
        c.CreationDateTime, c.CustomerId, accountIds ?? (c.DebtorAccountId is { } chosen ? [chosen] : []), null, c.Currency,
        c.CreditorIdentification is null ? null : new PaymentSummary(Money.Format(c.MaximumIndividualAmountMinor), c.Currency, c.CreditorName ?? c.CreditorIdentification,
            c.CreditorSchemeName!, c.CreditorIdentification, null, c.DebtorIdentification is not null),
        c.LastUsedAt, VrpTerms.Lines(c.Controls()));
}

/// <summary>A VRP consent's terms as the customer reads them (the consent page and the dashboard).</summary>
public static class VrpTerms
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The consent's limits in plain words, one line each ("Up to £100.00 a payment", "Up to £500.00 a calendar month", …).</summary>
    public static IReadOnlyList<string> Lines(VrpControls controls)
    {
        var lines = new List<string> { $"Up to {Money.Display(controls.MaximumIndividualAmountMinor, controls.Currency)} a payment" };
        foreach (var limit in controls.Limits)
        {
            var period = limit.PeriodType.ToLowerInvariant();
            lines.Add(limit.PeriodAlignment == "Calendar"
                ? $"Up to {Money.Display(limit.AmountMinor, limit.Currency)} a calendar {period}"
                : $"Up to {Money.Display(limit.AmountMinor, limit.Currency)} a {period}, counted from {Day(controls.Anchor)}");
        }

        lines.Add((controls.ValidFrom, controls.ValidTo) switch
        {
            ({ } from, { } to) => $"From {Day(from)} until {Day(to)}",
            (null, { } to) => $"Until {Day(to)}",
            ({ } from, null) => $"From {Day(from)}, until you cancel it",
            _ => "Until you cancel it",
        });
        if (controls.VrpTypes.Contains(VrpControls.Sweeping))
        {
            lines.Add("Sweeping between your own accounts");
        }

        if (controls.VrpTypes.Contains(VrpControls.Other))
        {
            lines.Add("Other variable payments to the payee the app names");
        }

        return lines;
    }

    /// <summary>A date as people in the UK read it, on the London calendar ("1 January 2027").</summary>
    private static string Day(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, VrpControls.London).ToString("d MMMM yyyy", British);
}
