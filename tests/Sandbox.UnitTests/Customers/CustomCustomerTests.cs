using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Customers.Custom;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.UnitTests.Customers;

/// <summary>The custom customer's checks (every error, in plain words) and its deterministic build.</summary>
public sealed class CustomCustomerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static readonly Tenant Tenant = new()
    {
        Id = Guid.Parse("00000000-0000-0000-0000-00000000000b"),
        OrganisationId = "org-custom",
        Seed = Tenant.SeedFor("org-custom"),
        CreatedAt = Now.AddDays(-30),
    };

    private static CustomCustomerRequest Request(string username = "jo.b", params CustomAccountRequest[] accounts) => new(username, "Jo Bloggs", null,
        accounts.Length > 0 ? accounts : [new CustomAccountRequest("GBP", "3000.00", Template: new HistoryTemplateRequest(6, "2500.00", "900.00", "moderate"))]);

    [Fact]
    public void AValidRequest_BuildsTheSameBank_ForTheSameInputAndMoment()
    {
        var (plan, errors) = CustomCustomerValidator.Validate(Request(), Now);
        Assert.Empty(errors);

        var first = CustomCustomerBuilder.Build(Tenant, plan!, Now);
        var again = CustomCustomerBuilder.Build(Tenant, plan!, Now);
        var other = CustomCustomerBuilder.Build(Tenant, CustomCustomerValidator.Validate(Request("sam"), Now).Plan!, Now);

        Assert.Empty(first.Errors);
        Assert.Equal(Serialize(first.Bank), Serialize(again.Bank));
        Assert.Empty(first.Bank.Accounts.Select(a => a.Id).Intersect(other.Bank.Accounts.Select(a => a.Id)));
        Assert.Equal("custom", first.Customer.Persona);
    }

    [Fact]
    public void ABuiltAccount_HasItsOpeningBalanceThenEveryTransaction_AndRunningBalancesAgree()
    {
        var built = CustomCustomerBuilder.Build(Tenant, CustomCustomerValidator.Validate(Request(), Now).Plan!, Now);

        var account = Assert.Single(built.Bank.Accounts);
        Assert.Equal(300000, account.OpeningBalanceMinor);
        Assert.Equal(0, account.CreditLimitMinor);
        var running = account.OpeningBalanceMinor;
        foreach (var t in built.Bank.Transactions.Where(t => t.Status == TransactionStatus.Booked).OrderBy(t => t.BookingDateTime))
        {
            running += t.IsCredit ? t.AmountMinor : -t.AmountMinor;
            Assert.Equal(running, t.BalanceAfterMinor);
            Assert.True(t.BookingDateTime < Now.UtcDateTime);
        }

        Assert.Equal(running, account.BookedBalanceMinor);
        Assert.Equal(6, built.Bank.Transactions.Count(t => t.Information.EndsWith("SALARY", StringComparison.Ordinal)));
    }

    [Fact]
    public void ATemplateThatOverspends_IsRefusedSayingWhenAndByHowMuch()
    {
        var built = CustomCustomerBuilder.Build(Tenant, CustomCustomerValidator.Validate(
            Request("poor", new CustomAccountRequest("GBP", "10.00", Template: new HistoryTemplateRequest(3, Rent: "500.00"))), Now).Plan!, Now);

        var message = Assert.Single(built.Errors["Accounts[0].Template"]);
        Assert.Contains("490.00 GBP below zero", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10", "GBP", false, 1000, null)]
    [InlineData("10.5", "JPY", false, 0, "whole number of JPY")]
    [InlineData("1.234", "BHD", false, 1234, null)]
    [InlineData("-12.50", "EUR", true, -1250, null)]
    [InlineData("-12.50", "EUR", false, 0, "not negative")]
    [InlineData("12,50", "EUR", true, 0, "decimal string")]
    public void Amounts_AreReadInTheCurrencysMinorUnits(string text, string currency, bool signed, long minor, string? error)
    {
        var problem = CustomCustomerValidator.TryAmount(text, currency, signed, out var read);

        if (error is null)
        {
            Assert.Null(problem);
            Assert.Equal(minor, read);
        }
        else
        {
            Assert.Contains(error, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TooManyAccountsAndTransactions_AreNamed()
    {
        var many = Enumerable.Range(0, 11).Select(_ => new CustomAccountRequest("GBP", "1")).ToArray();
        var transactions = Enumerable.Range(0, 2001).Select(i => (CustomTransactionRequest?)new CustomTransactionRequest("2026-01-01T00:00:00Z", "1", "x")).ToList();

        var (_, tooMany) = CustomCustomerValidator.Validate(Request("jo", many), Now);
        var (_, tooLong) = CustomCustomerValidator.Validate(Request("jo", new CustomAccountRequest("GBP", "1", Transactions: transactions)), Now);

        Assert.Contains("at most 10", Assert.Single(tooMany["Accounts"]), StringComparison.Ordinal);
        Assert.Contains("2,000", Assert.Single(tooLong["Accounts[0].Transactions"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AwaitingAuthorisation", "awaiting-authorisation")]
    [InlineData("Revoked", "revoked")]
    public void RefusalRules_NameStatusesInKebabCase(string status, string expected) => Assert.Equal(expected, BankRefusals.Kebab(status));

    [Fact]
    public void RefusalReasons_AreOneLineOfAscii_AtMost500Characters()
    {
        var value = BankRefusals.HeaderValue("Pay £12 to “x”\r\nnext line" + new string('a', 600));

        Assert.StartsWith("Pay GBP 12 to \"x\"  next line", value, StringComparison.Ordinal);
        Assert.Equal(BankRefusals.MaxReasonLength, value.Length);
        Assert.All(value, ch => Assert.InRange(ch, ' ', '~'));
    }

    [Fact]
    public void ARefusalWithoutAReason_IsDerivedFromItsErrorCode()
    {
        var consumed = ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus, "The consent is Consumed; a payment needs an Authorised consent."));
        var field = ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, "Amount is not valid.", "Data.Initiation.InstructedAmount.Amount"));

        Assert.Equal(("consent.consumed", "Consent pdc-1: The consent is Consumed; a payment needs an Authorised consent."), BankRefusals.Of(consumed, "pdc-1"));
        Assert.Equal(("bank.field", "Data.Initiation.InstructedAmount.Amount: Amount is not valid."), BankRefusals.Of(field));
        Assert.Null(BankRefusals.Of(new ObieException(500, "boom", [])));
    }

    private static string Serialize(GeneratedBank bank) => JsonSerializer.Serialize(new
    {
        bank.Customers, bank.Accounts, bank.Transactions, bank.StandingOrders, bank.Statements,
    });
}
