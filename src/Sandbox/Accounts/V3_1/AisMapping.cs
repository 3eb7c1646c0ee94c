using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;
using static OpenBanking.Sandbox.Accounts.AccountInformationMapping;

namespace OpenBanking.Sandbox.Accounts.V3_1;

/// <summary>The bank's records in the shapes that are v3.1.11's own (the shared ones: <see cref="AccountInformationMapping"/>).</summary>
internal static class AisMapping
{
    public static ObAccount ToAccount(Account a, bool detail, AisAccess access) => new(
        a.Id, "Enabled", Utc(a.OpeningDate), a.Currency, a.AccountType, a.AccountSubType, a.Description, a.Nickname, Utc(a.OpeningDate),
        detail ? [new ObCashAccount(a.SchemeName, MaskPan(a.SchemeName, a.Identification, access), a.Name)] : null);

    public static ObDirectDebit ToDirectDebit(DirectDebit d) => new(d.AccountId, d.Id, d.MandateIdentification, "Active", d.Name,
        d.PreviousPaymentDateTime is { } at ? Utc(at) : null,
        d.PreviousPaymentAmountMinor is { } amount ? ObAmount.Of(amount, d.Currency) : null);

    /// <summary>A standing order (generated, or made through PIS with its last and final payments and Active/Inactive status).</summary>
    public static ObStandingOrder ToStandingOrder(Payments.StandingOrders.AisStandingOrder o, bool detail)
    {
        var s = o.Row;
        return new(s.AccountId, s.Id, s.Frequency, s.Reference is { Length: > 0 } reference ? reference : null,
            Utc(s.FirstPaymentDateTime), o.NextPaymentAt is { } next ? Utc(next) : null, o.Active ? "Active" : "Inactive",
            ObAmount.Of(o.FirstAmountMinor, s.Currency), o.NextAmountMinor is { } nextAmount ? ObAmount.Of(nextAmount, s.Currency) : null,
            detail ? new ObCashAccount(s.CreditorSchemeName, s.CreditorIdentification, s.CreditorName) : null,
            o.LastPaymentAt is { } last ? Utc(last) : null, o.LastAmountMinor is { } lastAmount ? ObAmount.Of(lastAmount, s.Currency) : null,
            o.FinalPaymentAt is { } final ? Utc(final) : null, o.FinalAmountMinor is { } finalAmount ? ObAmount.Of(finalAmount, s.Currency) : null);
    }
}
