using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Internal;
using static OpenBanking.Sandbox.Internal.InternalConsentsApi;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>
/// An international payment consent in the customer's journey: paid from exactly one of their accounts — in the
/// debtor currency when the app fixed it (UnitCurrency, a named account, or an amount in it), else any of their accounts
/// in a currency the FX desk trades. The page shows, in plain words, what is sent, what the customer pays at which rate
/// (and until when an Actual quote holds), and the fees on each side.
/// </summary>
internal sealed class InternationalPaymentJourney : ConsentJourney
{
    public const string KindName = "international-payment";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.InternationalPayment);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.InternationalPaymentConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => CheckOneAccount(customerId, accountIds);

    public override Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
        => throw new InvalidOperationException("An international consent is priced when linked: call the overload with the request's services.");

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        IServiceProvider services, SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var c = (InternationalPaymentConsent)consent;
        var pricer = services.GetRequiredService<InternationalPricer>();
        var account = (await EligibleAccountsAsync(db, c.TenantId, c.DebtorCurrency, c.DebtorSchemeName, c.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == accountIds[0] && a.CustomerId == customerId && pricer.Desk.Trades(a.Currency));
        if (account is null)
        {
            return Problems(("accountIds", c.DebtorCurrency is { } currency
                ? $"Pay from one of your own {currency} accounts{(c.DebtorIdentification is null ? string.Empty : " — the one the app named")}."
                : "Pay from one of your own accounts."));
        }

        var now = services.GetRequiredService<TenantClocks>().Now(c.TenantId);
        var (price, rate) = await pricer.PriceAsync(c, account.Currency, now, ct);
        if (price.SentMinor <= 0)
        {
            return Problems(("accountIds", "From this account the charges would take the whole amount; choose another account."));
        }

        c.DebtorAccountId = account.Id;
        c.DebtorCurrency = account.Currency;
        if (c.QuotedRate is null && rate is not null)
        {
            (c.QuotedRate, c.QuotedMidRate, c.QuotedAt) = (rate.Rate, rate.MidRate, rate.At);
        }

        c.ChargesJson = InternationalPricing.ChargesJson(price.Charges);
        return [];
    }

    public override Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
        => throw new InvalidOperationException("An international consent's summary is priced: call the overload with the request's services.");

    public override async Task<ConsentSummary> SummaryAsync(IServiceProvider services, SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (InternationalPaymentConsent)consent;
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.DebtorAccountId is { } chosen ? [chosen]
            : c.DebtorIdentification is null ? []
            : (await EligibleAccountsAsync(db, c.TenantId, c.DebtorCurrency, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        var terms = new List<string>();
        if (c.DebtorCurrency is { } debit && c.Status is PaymentConsentStatus.AwaitingAuthorisation or PaymentConsentStatus.Authorised)
        {
            var pricer = services.GetRequiredService<InternationalPricer>();
            var (price, rate) = await pricer.PriceAsync(c, debit, services.GetRequiredService<TenantClocks>().Now(c.TenantId), ct);
            terms.AddRange(Terms(c, debit, price, rate));
        }
        else
        {
            terms.Add($"You send {Money.DisplayIn(c.InstructedAmountMinor, c.InstructedCurrency)} to {Payee(c)}");
            terms.Add("The rate and the fees depend on the account you pay from; you see them before the payment is made.");
        }

        return Summary(c, organisationId, accountIds, terms);
    }

    public static ConsentSummary Summary(InternationalPaymentConsent c, string organisationId, IReadOnlyList<string> accountIds, IReadOnlyList<string> terms) => new(
        c.Id, KindName, c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name((ConsentStatus)c.Status), [], null, null, null,
        c.CreationDateTime, c.CustomerId, accountIds, null, c.DebtorCurrency,
        new PaymentSummary(Money.Format(c.InstructedAmountMinor, c.InstructedCurrency), c.InstructedCurrency, c.CreditorName, c.CreditorSchemeName,
            c.CreditorIdentification, c.Reference, c.DebtorIdentification is not null),
        c.LastUsedAt, terms);

    /// <summary>
    /// The consent's terms in plain words: "You send €100.00 to Hans Müller (DE89 …)", "You pay about £90.89 at
    /// 1 GBP = 1.164313 EUR, fixed until 10:01:00 UTC", "Fees: £5.00 (you), €8.00 (taken from the amount sent)".
    /// </summary>
    public static IReadOnlyList<string> Terms(InternationalPaymentConsent c, string debitCurrency, InternationalPrice price, AppliedRate? rate)
    {
        var lines = new List<string> { $"You send {Money.DisplayIn(price.TransferMinor, c.CurrencyOfTransfer)} to {Payee(c)}" };
        var total = Money.DisplayIn(price.TotalDebitMinor, debitCurrency);
        if (rate is null)
        {
            lines.Add($"You pay {total}");
        }
        else
        {
            var at = $"1 {debitCurrency} = {InternationalRequests.RateText(rate.Rate)} {c.CurrencyOfTransfer}";
            lines.Add(c.RateType switch
            {
                "Actual" when c.QuoteExpiresAt is { } until => $"You pay {total} at {at}, fixed until {until.UtcDateTime.ToString("HH:mm:ss", Invariant)} UTC",
                "Agreed" => $"You pay {total} at {at}, the rate of FX contract {c.ContractId}",
                _ => $"You pay about {total} at {at}; the rate when the payment is made applies",
            });
        }

        var fees = price.Charges.GroupBy(ch => ch.Currency)
            .Select(g => $"{Money.DisplayIn(g.Sum(ch => ch.AmountMinor), g.Key)} ({(g.Key == debitCurrency && price.DebtorFeeMinor > 0 ? "you" : "taken from the amount sent")})")
            .ToList();
        if (debitCurrency == c.CurrencyOfTransfer && price.DebtorFeeMinor > 0 && price.DeductedFeeMinor > 0)
        {
            fees = [$"{Money.DisplayIn(price.DebtorFeeMinor, debitCurrency)} (you)", $"{Money.DisplayIn(price.DeductedFeeMinor, debitCurrency)} (taken from the amount sent)"];
        }

        lines.Add(fees.Count == 0 ? "No fees" : "Fees: " + string.Join(", ", fees));
        return lines;
    }

    private static string Payee(InternationalPaymentConsent c) => $"{c.CreditorName} ({c.CreditorIdentification})";
}
