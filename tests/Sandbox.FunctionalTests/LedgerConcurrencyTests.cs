using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>The ledger under concurrent payments, and a failure part way through a payment.</summary>
public sealed class LedgerConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BurstOfConcurrentPayments_NeverOverspends_AndTheLedgerHolds()
    {
        await using var factory = new SandboxFactory();
        // This test is about money, not the risk screen: velocity limits (and the fraud model, which rightly finds 24
        // payments in a second draining a new customer's account suspicious) out of the way.
        factory.WithSetting("Payments:Velocity:PerTenMinutes", "1000").WithSetting("Payments:Velocity:PerHour", "1000")
            .WithSetting("Sandbox:Fraud:Enabled", "false");
        var payments = new PaymentsClient(factory);
        var account = await payments.AccountAsync("dave");
        var accountId = account.GetProperty("AccountId").GetString()!;
        await FundToAvailableAsync(factory, accountId, 5_000);

        // 24 payments of 7.00 against 50.00 available: exactly 7 can be paid.
        var consents = new List<(string ConsentId, string Token, string Initiation)>();
        for (var i = 0; i < 24; i++)
        {
            var (consentId, token, initiation, _) = await payments.AuthorisedAsync("dave", amount: "7.00", accountId: accountId);
            consents.Add((consentId, token, initiation));
        }

        var answers = await Task.WhenAll(consents.Select(c => Task.Run(() => payments.SubmitAsync(c.Token, c.ConsentId, c.Initiation), Ct)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        var statuses = answers.Select(a => a.Body.GetProperty("Data").GetProperty("Status").GetString()).ToList();
        Assert.Equal(7, statuses.Count(s => s == "Pending"));
        Assert.Equal(17, statuses.Count(s => s == "Rejected"));
        var (balance, limit) = await payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.BookedBalanceMinor, a.CreditLimitMinor }).SingleAsync(Ct).ContinueWith(t => (t.Result.BookedBalanceMinor, t.Result.CreditLimitMinor), Ct));
        Assert.Equal(-limit + 100, balance);
        await payments.SettleAsync();
        await payments.SettleAsync();
        var check = await payments.CheckLedgerAsync();
        Assert.True(check.Holds, string.Join("\n", check.Problems));
    }

    [Theory]
    [InlineData("key-claimed")]
    [InlineData("consent-consumed")]
    [InlineData("account-debited")]
    [InlineData("payment-decided")]
    public async Task FailureBetweenSteps_LeavesNoHalfWrittenPayment(string step)
    {
        await using var factory = new SandboxFactory();
        var payments = new PaymentsClient(factory);
        var (consentId, token, initiation, accountId) = await payments.AuthorisedAsync(amount: "6.00");
        var before = await payments.BalanceAsync(accountId);
        var entriesBefore = await payments.WithDbAsync(db => db.LedgerEntries.CountAsync(Ct));
        var key = Guid.NewGuid().ToString("N");

        // The same service on the same database, but failing after the given step inside the transaction.
        await using (var failing = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IFaultInjector>(new FailAfter(step)))))
        {
            using var client = failing.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{PaymentsClient.Pisp}/domestic-payments")
            {
                Content = PaymentsClient.Json(PaymentsClient.PaymentBody(consentId, initiation)),
            };
            request.Headers.Add(Idempotency.Header, key);
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        Assert.Equal(before, await payments.BalanceAsync(accountId));
        Assert.Equal(entriesBefore, await payments.WithDbAsync(db => db.LedgerEntries.CountAsync(Ct)));
        Assert.Equal(0, await payments.WithDbAsync(db => db.DomesticPayments.CountAsync(p => p.ConsentId == consentId, Ct)));
        Assert.Equal(0, await payments.WithDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Key == key, Ct)));
        Assert.Equal(PaymentConsentStatus.Authorised, await payments.WithDbAsync(db => db.DomesticPaymentConsents.Where(c => c.Id == consentId).Select(c => c.Status).SingleAsync(Ct)));

        // The partner retries with the same key and it goes through once.
        var retry = await payments.SubmitAsync(token, consentId, initiation, key);
        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.Equal(before - 600, await payments.BalanceAsync(accountId));
        Assert.True((await payments.CheckLedgerAsync()).Holds);
    }

    /// <summary>Credits the account against equity (a balanced posting) until balance plus limit is the given amount.</summary>
    private static async Task FundToAvailableAsync(SandboxFactory factory, string accountId, long availableMinor)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, Ct);
        var top = availableMinor - (account.BookedBalanceMinor + account.CreditLimitMinor);
        Assert.True(top > 0, "The account already has more than the test needs.");
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var ledger = new LedgerStore(db);
        await ledger.CreditAsync(accountId, top, Ct);
        ledger.Add(Posting.Create("test-funding-" + accountId, PostingKinds.Opening, account.Currency,
            new PostingLine(accountId, top), new PostingLine(LedgerAccounts.Equity(account.Currency), -top)), account.TenantId, null, DateTime.UtcNow);
        await db.SaveChangesAsync(Ct);
        await transaction.CommitAsync(Ct);
    }

    private sealed class FailAfter(string step) : IFaultInjector
    {
        public void After(string current)
        {
            if (current == step)
            {
                throw new InvalidOperationException($"Injected failure after {step}.");
            }
        }
    }
}
