using System.Globalization;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts.V3_1;

/// <summary>
/// The bank's records as the v3.1.11 payloads show them (Detail fields only when the consent allows), and the
/// request's query filters as the bank reads them.
/// </summary>
internal static class AisMapping
{
    public static ObAccount ToAccount(Account a, bool detail, AisAccess access) => new(
        a.Id, "Enabled", Utc(a.OpeningDate), a.Currency, a.AccountType, a.AccountSubType, a.Description, a.Nickname, Utc(a.OpeningDate),
        detail ? [new ObCashAccount(a.SchemeName, MaskPan(a.SchemeName, a.Identification, access), a.Name)] : null);

    public static IEnumerable<ObBalance> ToBalances(AccountWithPending row, DateTimeOffset now)
    {
        var a = row.Account;
        var creditLineType = a.AccountSubType == "CreditCard" ? "Credit" : "Pre-Agreed";
        var lines = a.CreditLimitMinor > 0;
        var available = a.BookedBalanceMinor - row.PendingDebitsMinor + a.CreditLimitMinor;
        yield return Balance(a, "InterimBooked", now, a.BookedBalanceMinor, lines ? [new ObCreditLine(false, creditLineType, ObAmount.Of(a.CreditLimitMinor, a.Currency))] : null);
        yield return Balance(a, "InterimAvailable", now, available, lines ? [new ObCreditLine(true, creditLineType, ObAmount.Of(a.CreditLimitMinor, a.Currency))] : null);
        // Nothing is booked today before the sandbox's daily close, so yesterday's close is the booked balance.
        yield return Balance(a, "ClosingBooked", new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero), a.BookedBalanceMinor, null);
    }

    public static ObTransaction ToTransaction(BankTransaction t, bool detail, AisAccess access)
    {
        var counterparty = t.CounterpartyIdentification is null
            ? null
            : new ObCashAccount(t.CounterpartySchemeName!, MaskPan(t.CounterpartySchemeName!, t.CounterpartyIdentification, access), t.CounterpartyName);
        return new ObTransaction(
            t.AccountId,
            t.TransactionId,
            t.Reference,
            t.IsCredit ? "Credit" : "Debit",
            t.Status switch { TransactionStatus.Booked => "Booked", _ => "Pending" },
            t.Status == TransactionStatus.Booked ? "Immutable" : "Mutable",
            Utc(t.BookingDateTime),
            Utc(t.ValueDateTime),
            detail ? t.Information : null,
            ObAmount.Of(t.AmountMinor, t.Currency),
            new ObBankTransactionCode(t.BankCode, t.BankSubCode),
            new ObProprietaryCode(t.ProprietaryCode, "SandboxBank"),
            detail && t.BalanceAfterMinor is { } balance
                ? new ObTransactionBalance(balance >= 0 ? "Credit" : "Debit", "InterimBooked", ObAmount.Of(balance, t.Currency))
                : null,
            detail && t.MerchantName is not null ? new ObMerchantDetails(t.MerchantName, t.MerchantCategoryCode) : null,
            detail && !t.IsCredit ? counterparty : null,
            detail && t.IsCredit ? counterparty : null,
            t.CardPan is null ? null : new ObCardInstrument("MasterCard", "ConsumerDevice", t.CardPan));
    }

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

    public static ObParty ToParty(Customer c, string? accountRole) => new(
        c.Id, "Sole", c.Name, c.Name, accountRole, c.Email,
        c.Phone is { Length: > 3 } phone ? $"{phone[..3]}-{phone[3..]}" : null,
        [new ObPostalAddress(c.IsBusiness ? "Business" : "Residential", c.AddressLine is null ? null : [c.AddressLine], c.PostCode, c.TownName, c.Country)]);

    public static ObProduct ToProduct(Account a) => new(a.Id, "prd-" + a.AccountSubType.ToLowerInvariant(), a.ProductName,
        (a.AccountType, a.AccountSubType) switch
        {
            ("Personal", "CurrentAccount") => "PersonalCurrentAccount",
            ("Business", "CurrentAccount") => "BusinessCurrentAccount",
            _ => "Other",
        });

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

    private static string MaskPan(string scheme, string identification, AisAccess access)
        => scheme == "UK.OBIE.PAN" && !access.Has(AccountAccessPermission.ReadPAN) && identification.Length > 4
            ? new string('*', identification.Length - 4) + identification[^4..]
            : identification;
}
