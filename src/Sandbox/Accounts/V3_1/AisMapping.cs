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

    public static ObStandingOrder ToStandingOrder(StandingOrder s, bool detail) => new(s.AccountId, s.Id, s.Frequency, s.Reference,
        Utc(s.FirstPaymentDateTime), Utc(s.NextPaymentDateTime), "Active", ObAmount.Of(s.AmountMinor, s.Currency), ObAmount.Of(s.AmountMinor, s.Currency),
        detail ? new ObCashAccount(s.CreditorSchemeName, s.CreditorIdentification, s.CreditorName) : null);
}
