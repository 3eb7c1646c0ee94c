using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Every save of a consent writes its version, status time and outbox row itself (DomainChangesInterceptor), in the
/// same transaction as the change, on the Sandbox's real SQLite database.
/// </summary>
public sealed class OutboxTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConsentCreatedThenAuthorised_WritesARowPerChange_WithTheNewVersions()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic", clientId: "wallet-outbox");
        await _sandbox.AuthoriseAsync(consentId, "alice");

        var rows = await RowsAsync(consentId);
        var consent = await WithDbAsync(db => db.AccountAccessConsents.AsNoTracking().SingleAsync(c => c.Id == consentId, _ct));

        Assert.Collection(rows,
            created => Assert.Equal((OutboxChange.StatusChanged, "AwaitingAuthorisation", 0), (created.Change, created.Status, created.Version)),
            authorised => Assert.Equal((OutboxChange.StatusChanged, "Authorised", 1), (authorised.Change, authorised.Status, authorised.Version)),
            linked => Assert.Equal((OutboxChange.LinkedAccountsChanged, "Authorised", 1), (linked.Change, linked.Status, linked.Version)));
        Assert.All(rows, r => Assert.Equal((OutboxResource.AccountAccessConsent, "wallet-outbox", consent.TenantId), (r.Resource, r.ClientId, r.TenantId)));
        Assert.Equal(1, consent.Version);
        Assert.Equal(0, consent.StatusUpdateDateTime.Millisecond);
        Assert.Equal(0, consent.StatusUpdateDateTime.Microsecond);
    }

    [Fact]
    public async Task WithdrawingAccessAndDeleting_AreRecorded_EachBumpingTheVersionOnce()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        await _sandbox.AuthoriseAsync(consentId, "alice");
        using var identity = _sandbox.Client(SandboxFactory.InternalToken());
        using var revoked = await identity.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId = await _sandbox.CustomerIdAsync("alice") }, _ct);
        using var app = _sandbox.Client(SandboxFactory.ClientToken());
        using var deleted = await app.DeleteAsync($"{SandboxClient.Aisp}/account-access-consents/{consentId}", _ct);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var rows = await RowsAsync(consentId);
        Assert.Equal([(OutboxChange.AccessRevoked, 2), (OutboxChange.Deleted, 3)], rows.Skip(3).Select(r => (r.Change, r.Version)));
        Assert.Equal(3, await WithDbAsync(db => db.AccountAccessConsents.Where(c => c.Id == consentId).Select(c => c.Version).SingleAsync(_ct)));
    }

    [Fact]
    public async Task AChangeRolledBackAfterItsSave_LeavesNeitherTheChangeNorItsRow()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        var before = await RowsAsync(consentId);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(_ct);
            var consent = await db.AccountAccessConsents.SingleAsync(c => c.Id == consentId, _ct);
            Assert.True(consent.Apply(ConsentAction.Reject, ConsentActor.Customer, factory.Clock.GetUtcNow()).Allowed);
            await db.SaveChangesAsync(_ct);
            // Saved, and its row with it, inside the transaction...
            Assert.Single(await db.OutboxMessages.Where(m => m.ResourceId == consentId && m.Status == "Rejected").ToListAsync(_ct));
            // ...then something after the save fails and the transaction is not committed.
            await transaction.RollbackAsync(_ct);
        }

        Assert.Equal(before.Select(r => r.Id), (await RowsAsync(consentId)).Select(r => r.Id));
        var consentAfter = await WithDbAsync(db => db.AccountAccessConsents.AsNoTracking().SingleAsync(c => c.Id == consentId, _ct));
        Assert.Equal((ConsentStatus.AwaitingAuthorisation, 0), (consentAfter.Status, consentAfter.Version));
    }

    [Fact]
    public async Task AConcurrencyConflict_WritesNoRowForTheLosingChange_AndDoesNotLeaveItPending()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        await using var firstScope = factory.Services.CreateAsyncScope();
        await using var secondScope = factory.Services.CreateAsyncScope();
        var first = firstScope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var second = secondScope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var winner = await first.AccountAccessConsents.SingleAsync(c => c.Id == consentId, _ct);
        var loser = await second.AccountAccessConsents.SingleAsync(c => c.Id == consentId, _ct);

        winner.Apply(ConsentAction.Reject, ConsentActor.Customer, factory.Clock.GetUtcNow());
        await first.SaveChangesAsync(_ct);
        loser.Apply(ConsentAction.Expire, ConsentActor.Bank, factory.Clock.GetUtcNow());
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(_ct));

        Assert.Equal([("AwaitingAuthorisation", 0), ("Rejected", 1)], (await RowsAsync(consentId)).Select(r => (r.Status, r.Version)));
        // A retry of the losing context would write its own row, not also the failed attempt's.
        Assert.Empty(second.ChangeTracker.Entries<OutboxMessage>());
    }

    [Fact]
    public async Task OutboxHelper_ForASetBasedUpdate_CommitsWithIt()
    {
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic");
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        var consent = await db.AccountAccessConsents.AsNoTracking().SingleAsync(c => c.Id == consentId, _ct);

        await using (var transaction = await db.Database.BeginTransactionAsync(_ct))
        {
            await db.AccountAccessConsents.Where(c => c.Id == consentId && c.Version == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConsentStatus.Rejected).SetProperty(c => c.Version, 1), _ct);
            db.Add(Outbox.StatusChanged(OutboxResource.AccountAccessConsent, consentId, consent.TenantId, consent.ClientId, nameof(ConsentStatus.Rejected), 1, factory.Clock.GetUtcNow()));
            await db.SaveChangesAsync(_ct);
            await transaction.CommitAsync(_ct);
        }

        Assert.Equal([("AwaitingAuthorisation", 0), ("Rejected", 1)], (await RowsAsync(consentId)).Select(r => (r.Status, r.Version)));
    }

    [Fact]
    public async Task APaymentConsentAndItsPayment_AreRecordedAsSettlementMovesThePaymentOn()
    {
        var payments = new PaymentsClient(factory);
        var (consentId, token, initiation, _) = await payments.AuthorisedAsync(clientId: "wallet-outbox-pay");
        var (status, _, body) = await payments.SubmitAsync(token, consentId, initiation);
        Assert.Equal(HttpStatusCode.Created, status);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        await payments.SettleAsync();

        var consentRows = await RowsAsync(consentId);
        var paymentRows = await RowsAsync(paymentId);
        var payment = await WithDbAsync(db => db.DomesticPayments.AsNoTracking().SingleAsync(p => p.Id == paymentId, _ct));

        // Consumed by a set-based update the change tracker never sees: its row is added beside the statement.
        Assert.Equal([("AwaitingAuthorisation", 0), ("Authorised", 1), ("Consumed", 2)], consentRows.Select(r => (r.Status, r.Version)));
        Assert.All(consentRows, r => Assert.Equal(OutboxResource.DomesticPaymentConsent, r.Resource));
        Assert.All(paymentRows, r => Assert.Equal((OutboxResource.DomesticPayment, "wallet-outbox-pay"), (r.Resource, r.ClientId)));
        // Created, then moved on by settlement: a row per status, the last one the payment's status now.
        Assert.True(paymentRows.Count >= 2, $"{paymentRows.Count} rows");
        Assert.Equal(payment.Status.ToString(), paymentRows[^1].Status);
        Assert.Equal(payment.Version, paymentRows[^1].Version);
        Assert.Equal(paymentRows.Select(r => r.Version).Order(), paymentRows.Select(r => r.Version));
        // Every step of the payment's history (including the batch statement that sends payments for settlement) has
        // its outbox row, in order.
        var history = await WithDbAsync(db => db.PaymentStatusChanges.AsNoTracking().Where(c => c.PaymentId == paymentId).OrderBy(c => c.Id)
            .Select(c => c.Status).ToListAsync(_ct));
        Assert.Contains(global::OpenBanking.Sandbox.Payments.PaymentStatus.AcceptedSettlementInProcess, history);
        Assert.Equal(history.Select(h => h.ToString()), paymentRows.Select(r => r.Status));
    }

    private Task<List<OutboxMessage>> RowsAsync(string resourceId)
        => WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.ResourceId == resourceId).OrderBy(m => m.OccurredAt).ThenBy(m => m.Id).ToListAsync(_ct));

    private async Task<T> WithDbAsync<T>(Func<SandboxDbContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SandboxDbContext>());
    }
}
