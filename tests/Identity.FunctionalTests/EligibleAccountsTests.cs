using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Platform;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>Which of the customer's accounts the consent page offers for a payment.</summary>
public sealed class EligibleAccountsTests
{
    private static readonly SandboxAccount[] Accounts = [Account("gbp-1", "GBP"), Account("gbp-2", "GBP"), Account("eur-1", "EUR")];

    [Fact]
    public void Payment_WithoutANamedDebtor_OffersEveryAccountInItsCurrency()
        => Assert.Equal(["gbp-1", "gbp-2"], ConsentGrants.EligibleAccounts(Payment(named: false, []), Accounts).Select(a => a.AccountId));

    [Fact]
    public void Payment_NamingOneOfTheCustomersAccounts_OffersOnlyThatOne()
        => Assert.Equal(["gbp-2"], ConsentGrants.EligibleAccounts(Payment(named: true, ["gbp-2"]), Accounts).Select(a => a.AccountId));

    [Fact]
    public void Payment_NamingAnAccountTheCustomerDoesNotHold_OffersNothing()
        => Assert.Empty(ConsentGrants.EligibleAccounts(Payment(named: true, []), Accounts));

    private static SandboxConsent Payment(bool named, string[] accountIds) => new(
        "pdc-1", SandboxConsent.DomesticPayment, "wallet", "org", SandboxConsent.AwaitingAuthorisation, [], null, null, null,
        DateTimeOffset.UnixEpoch, null, accountIds, null, "GBP",
        new SandboxPayment("10.00", "GBP", "Payee", "UK.OBIE.SortCodeAccountNumber", "11223344556677", null, named));

    private static SandboxAccount Account(string id, string currency) => new(
        id, id, id, null, "Personal", "CurrentAccount", currency, "UK.OBIE.SortCodeAccountNumber", "••••1234", "100.00");
}
