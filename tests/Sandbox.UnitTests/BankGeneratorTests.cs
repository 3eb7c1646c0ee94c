using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class BankGeneratorTests
{
    private static readonly Tenant TenantA = NewTenant("org-a");
    private static readonly GeneratedBank BankA = new BankGenerator(new GeneratorOptions()).Generate(TenantA);

    [Fact]
    public void SameTenant_GeneratesIdenticalData()
    {
        var again = new BankGenerator(new GeneratorOptions()).Generate(NewTenant("org-a"));

        Assert.Equal(Serialize(BankA), Serialize(again));
    }

    [Fact]
    public void AnotherTenant_GetsOtherIdsAndData()
    {
        var other = new BankGenerator(new GeneratorOptions()).Generate(NewTenant("org-b"));

        Assert.Empty(BankA.Accounts.Select(a => a.Id).Intersect(other.Accounts.Select(a => a.Id)));
        Assert.NotEqual(BankA.Transactions.Count, other.Transactions.Count);
    }

    [Fact]
    public void EveryAccount_BalanceEqualsOpeningPlusBookedTransactions_AndRunningBalancesAgree()
    {
        foreach (var account in BankA.Accounts)
        {
            var booked = BankA.Transactions.Where(t => t.AccountId == account.Id && t.Status == TransactionStatus.Booked).ToList();
            var running = account.OpeningBalanceMinor;
            foreach (var transaction in booked.OrderBy(t => t.BookingDateTime))
            {
                running += transaction.IsCredit ? transaction.AmountMinor : -transaction.AmountMinor;
                Assert.Equal(running, transaction.BalanceAfterMinor);
            }

            Assert.Equal(running, account.BookedBalanceMinor);
            Assert.All(booked, t => Assert.True(t.BalanceAfterMinor >= -account.CreditLimitMinor, $"{account.Id} below its limit"));
        }
    }

    [Fact]
    public void Statements_ChainOpeningToClosingBalances()
    {
        foreach (var group in BankA.Statements.GroupBy(s => s.AccountId))
        {
            var statements = group.OrderBy(s => s.StartDateTime).ToList();
            for (var i = 1; i < statements.Count; i++)
            {
                Assert.Equal(statements[i - 1].ClosingBalanceMinor, statements[i].OpeningBalanceMinor);
            }

            Assert.All(statements, s => Assert.Equal(s.OpeningBalanceMinor + s.TotalCreditsMinor - s.TotalDebitsMinor, s.ClosingBalanceMinor));
        }
    }

    [Fact]
    public void Personas_AreWhatTheDocumentationPromises()
    {
        var customers = BankA.Customers.ToDictionary(c => c.Username);
        Account[] AccountsOf(string username) => BankA.Accounts.Where(a => a.CustomerId == customers[username].Id).ToArray();
        int TransactionsOf(string username) => AccountsOf(username).Sum(a => BankA.Transactions.Count(t => t.AccountId == a.Id));

        Assert.True(TransactionsOf("alice") > 1500, "alice has a long history");
        Assert.Contains(AccountsOf("alice"), a => a.AccountSubType == "CreditCard" && a.SchemeName == "UK.OBIE.PAN");
        Assert.All(AccountsOf("bob"), a => Assert.InRange(a.BookedBalanceMinor, -a.CreditLimitMinor, -1));
        Assert.Equal(["EUR", "GBP", "USD"], AccountsOf("carol").Select(a => a.Currency).Order());
        Assert.Equal(0, TransactionsOf("dave"));
        Assert.Equal(0, AccountsOf("dave").Single().BookedBalanceMinor);
        Assert.All(AccountsOf("erin"), a => Assert.Equal("Business", a.AccountType));
        Assert.True(customers["erin"].IsBusiness);
        Assert.Equal(5 + new GeneratorOptions().GeneratedCustomers, BankA.Customers.Count);
        Assert.InRange(BankA.Transactions.Count, 2000, 20000);
    }

    [Fact]
    public void RecurringPayments_MatchTheStandingOrdersAndDirectDebits()
    {
        var alice = BankA.Customers.Single(c => c.Username == "alice");
        var current = BankA.Accounts.Single(a => a.CustomerId == alice.Id && a.AccountSubType == "CurrentAccount");
        var rent = BankA.StandingOrders.Single(s => s.AccountId == current.Id && s.Reference == "RENT");

        var rentPayments = BankA.Transactions.Where(t => t.AccountId == current.Id && t.ProprietaryCode == "SO" && t.CounterpartyName == rent.CreditorName).ToList();
        Assert.True(rentPayments.Count >= 30);
        Assert.All(rentPayments, t => Assert.Equal(rent.AmountMinor, t.AmountMinor));
        Assert.All(rentPayments, t => Assert.Equal(1, t.BookingDateTime.Day));

        foreach (var mandate in BankA.DirectDebits.Where(d => d.AccountId == current.Id))
        {
            var last = BankA.Transactions.Where(t => t.AccountId == current.Id && t.ProprietaryCode == "DD" && t.CounterpartyName == mandate.Name)
                .MaxBy(t => t.BookingDateTime)!;
            Assert.Equal(last.BookingDateTime, mandate.PreviousPaymentDateTime);
            Assert.Equal(last.AmountMinor, mandate.PreviousPaymentAmountMinor);
        }
    }

    [Fact]
    public void Ibans_HaveValidCheckDigits()
    {
        foreach (var iban in BankA.Accounts.Where(a => a.SchemeName == "UK.OBIE.IBAN").Select(a => a.Identification))
        {
            var rearranged = iban[4..] + iban[..4];
            var numeric = string.Concat(rearranged.Select(c => char.IsLetter(c) ? (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
            Assert.Equal(1, (int)(System.Numerics.BigInteger.Parse(numeric, System.Globalization.CultureInfo.InvariantCulture) % 97));
        }
    }

    private static Tenant NewTenant(string organisationId) => new()
    {
        Id = Guid.Parse("00000000-0000-0000-0000-00000000000a"),
        OrganisationId = organisationId,
        Seed = Tenant.SeedFor(organisationId),
        CreatedAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
    };

    private static string Serialize(GeneratedBank bank) => JsonSerializer.Serialize(new
    {
        bank.Customers, bank.Accounts, bank.Transactions, bank.Beneficiaries, bank.DirectDebits,
        bank.StandingOrders, bank.ScheduledPayments, bank.Statements, bank.Offers,
    });
}
