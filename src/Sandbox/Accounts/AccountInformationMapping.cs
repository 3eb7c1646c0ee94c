using System.Globalization;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The bank's records as both versions show them (Detail fields only when the consent allows; the codes of the
/// request's version), and the request's query filters as the bank reads them.
/// </summary>
public static class AccountInformationMapping
{
    public static IEnumerable<ObBalance> ToBalances(AccountWithPending row, DateTimeOffset now, AisCodes codes)
    {
        var a = row.Account;
        var creditLineType = a.AccountSubType == "CreditCard" ? "Credit" : "Pre-Agreed";
        var lines = a.CreditLimitMinor > 0;
        var available = a.BookedBalanceMinor - row.PendingDebitsMinor + a.CreditLimitMinor;
        yield return Balance(a, codes.InterimBooked, now, a.BookedBalanceMinor, lines ? [new ObCreditLine(false, creditLineType, ObAmount.Of(a.CreditLimitMinor, a.Currency))] : null);
        yield return Balance(a, codes.InterimAvailable, now, available, lines ? [new ObCreditLine(true, creditLineType, ObAmount.Of(a.CreditLimitMinor, a.Currency))] : null);
        // Nothing is booked today before the sandbox's daily close, so yesterday's close is the booked balance.
        yield return Balance(a, codes.ClosingBooked, new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero), a.BookedBalanceMinor, null);
    }

    public static ObTransaction ToTransaction(BankTransaction t, bool detail, AisAccess access, AisCodes codes)
    {
        var counterparty = t.CounterpartyIdentification is null
            ? null
            : new ObCashAccount(t.CounterpartySchemeName!, MaskPan(t.CounterpartySchemeName!, t.CounterpartyIdentification, access), t.CounterpartyName);
        return new ObTransaction(
            t.AccountId,
            t.TransactionId,
            t.Reference,
            t.IsCredit ? "Credit" : "Debit",
            t.Status == TransactionStatus.Booked ? codes.BookedTransaction : codes.PendingTransaction,
            t.Status == TransactionStatus.Booked ? "Immutable" : "Mutable",
            Utc(t.BookingDateTime),
            Utc(t.ValueDateTime),
            detail ? t.Information : null,
            ObAmount.Of(t.AmountMinor, t.Currency),
            new ObBankTransactionCode(t.BankCode, t.BankSubCode),
            new ObProprietaryCode(t.ProprietaryCode, "SandboxBank"),
            detail && t.BalanceAfterMinor is { } balance
                ? new ObTransactionBalance(balance >= 0 ? "Credit" : "Debit", codes.InterimBooked, ObAmount.Of(balance, t.Currency))
                : null,
            detail && t.MerchantName is not null ? new ObMerchantDetails(t.MerchantName, t.MerchantCategoryCode) : null,
            detail && !t.IsCredit ? counterparty : null,
            detail && t.IsCredit ? counterparty : null,
            t.CardPan is null ? null : new ObCardInstrument("MasterCard", "ConsumerDevice", t.CardPan),
            t.ChargeMinor is { } charge ? ObAmount.Of(charge, t.ChargeCurrency ?? t.Currency) : null,
            t is { FxSourceCurrency: { } source, FxRate: { } rate }
                ? new ObCurrencyExchange(source, t.FxTargetCurrency, t.FxUnitCurrency, rate, t.FxContractId,
                    t.FxQuotationDate is { } quoted ? Timestamps.WholeSeconds(quoted) : null,
                    t is { FxInstructedAmount: { } instructed, FxInstructedCurrency: { } currency } ? new ObAmount(instructed, currency) : null)
                : null);
    }

    public static ObBeneficiary ToBeneficiary(Beneficiary b, bool detail) => new(b.AccountId, b.Id, "Trusted", b.Reference,
        detail ? new ObCashAccount(b.SchemeName, b.Identification, b.Name) : null);

    public static ObScheduledPayment ToScheduledPayment(ScheduledPayment s, bool detail) => new(s.AccountId, s.Id, Utc(s.ExecutionDateTime), "Execution",
        s.Reference, ObAmount.Of(s.AmountMinor, s.Currency),
        detail ? new ObCashAccount(s.CreditorSchemeName, s.CreditorIdentification, s.CreditorName) : null);

    public static ObOffer ToOffer(Offer o, string currency) => new(o.AccountId, o.Id, o.OfferType, o.Description, Utc(o.StartDateTime),
        Utc(o.EndDateTime), o.Rate, o.AmountMinor is { } amount ? ObAmount.Of(amount, currency) : null);

    public static ObStatement ToStatement(Statement s, bool detail, string currency) => new(
        s.AccountId, s.Id, $"{s.StartDateTime:yyyyMM}-{s.AccountId[^6..]}", "RegularPeriodic", Utc(s.StartDateTime), Utc(s.EndDateTime),
        Utc(s.CreationDateTime), [$"Statement for {s.StartDateTime:MMMM yyyy}"],
        detail
            ?
            [
                new ObStatementAmount(s.OpeningBalanceMinor >= 0 ? "Credit" : "Debit", "UK.OBIE.PreviousClosingBalance", ObAmount.Of(s.OpeningBalanceMinor, currency)),
                new ObStatementAmount(s.ClosingBalanceMinor >= 0 ? "Credit" : "Debit", "UK.OBIE.ClosingBalance", ObAmount.Of(s.ClosingBalanceMinor, currency)),
                new ObStatementAmount("Credit", "UK.OBIE.TotalCredits", ObAmount.Of(s.TotalCreditsMinor, currency)),
                new ObStatementAmount("Debit", "UK.OBIE.TotalDebits", ObAmount.Of(s.TotalDebitsMinor, currency)),
            ]
            : null);

    public static ObParty ToParty(Customer c, string? accountRole, AisCodes codes) => new(
        c.Id, "Sole", c.Name, c.Name, accountRole, c.Email,
        c.Phone is { Length: > 3 } phone ? $"{phone[..3]}-{phone[3..]}" : null,
        [new ObPostalAddress(c.IsBusiness ? codes.BusinessAddress : codes.ResidentialAddress, c.AddressLine is null ? null : [c.AddressLine], c.PostCode, c.TownName, c.Country)]);

    public static ObProduct ToProduct(Account a) => new(a.Id, "prd-" + a.AccountSubType.ToLowerInvariant(), a.ProductName,
        (a.AccountType, a.AccountSubType) switch
        {
            ("Personal", "CurrentAccount") => "PersonalCurrentAccount",
            ("Business", "CurrentAccount") => "BusinessCurrentAccount",
            _ => "Other",
        });

    /// <summary>The identification of an account or counterparty, a card number masked unless the consent has ReadPAN.</summary>
    public static string MaskPan(string scheme, string identification, AisAccess access)
        => scheme == "UK.OBIE.PAN" && !access.Has(AccountAccessPermission.ReadPAN) && identification.Length > 4
            ? new string('*', identification.Length - 4) + identification[^4..]
            : identification;

    /// <summary>
    /// Query filters are read as the bank's own time (UTC): a zone, if sent, is ignored, as the specification asks. A
    /// date alone means its midnight.
    /// </summary>
    public static DateTime? ParseFilter(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return DateTime.SpecifyKind(parsed.DateTime, DateTimeKind.Utc);
        }

        throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalidDate, $"{name} must be a date or date-time, e.g. 2026-01-31T00:00:00.", name));
    }

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    private static ObBalance Balance(Account a, string type, DateTimeOffset at, long amount, IReadOnlyList<ObCreditLine>? lines)
        => new(a.Id, amount >= 0 ? "Credit" : "Debit", type, at, ObAmount.Of(amount, a.Currency), lines);
}
