using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

public sealed class CheckAndConsumeConsentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_AnAuthorisedConsent_MakesThePaymentOnItsTerms()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync();
        await using var db = database.Context();
        var payment = database.Payment(consent.Id);

        await Step(database, db).CheckAsync(payment, Ct);

        var made = payment.RequirePayment();
        Assert.Equal((1_250, "GBP", database.Payer.Id, database.Payee.Id), (made.AmountMinor, made.Currency, made.DebtorAccountId, made.CreditorAccountId));
        Assert.Equal(database.Payer.Id, payment.Debtor?.Id);
    }

    [Fact]
    public async Task Check_AnotherClientsConsent_IsForbidden()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync(clientId: "another-wallet");
        await using var db = database.Context();

        var refused = await Assert.ThrowsAsync<ObieException>(() => Step(database, db).CheckAsync(database.Payment(consent.Id), Ct).AsTask());

        Assert.Equal(403, refused.StatusCode);
    }

    [Fact]
    public async Task Check_AConsumedConsent_IsUnavailable()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync(PaymentConsentStatus.Consumed);
        await using var db = database.Context();

        var unavailable = await Assert.ThrowsAsync<ConsentUnavailableException>(() => Step(database, db).CheckAsync(database.Payment(consent.Id), Ct).AsTask());

        Assert.Equal(PaymentConsentStatus.Consumed, unavailable.Status);
    }

    [Fact]
    public async Task Check_APaymentUnlikeItsConsent_IsAMismatchNamingTheField()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync();
        await using var db = database.Context();
        var other = database.Payment(consent.Id, initiation: PaymentsDatabase.Initiation.Replace("12.50", "12.51", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<ObieException>(() => Step(database, db).CheckAsync(other, Ct).AsTask());

        Assert.Equal((ObieErrorCodes.ResourceConsentMismatch, "Data.Initiation.InstructedAmount.Amount"), (refused.Errors[0].ErrorCode, refused.Errors[0].Path));
    }

    [Fact]
    public async Task Apply_ConsumesTheConsentExactlyOnce()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var consent = await database.AuthorisedConsentAsync();
        await using var db = database.Context();
        var first = database.Payment(consent.Id, "key-1");
        var second = database.Payment(consent.Id, "key-2");
        await Step(database, db).CheckAsync(first, Ct);
        await Step(database, db).CheckAsync(second, Ct);

        await Step(database, db).ApplyAsync(first, db, Ct);
        await Assert.ThrowsAsync<CheckAndConsumeConsent.ConsentRaceException>(() => Step(database, db).ApplyAsync(second, db, Ct).AsTask());

        var stored = await db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == consent.Id, Ct);
        Assert.Equal((PaymentConsentStatus.Consumed, 1), (stored.Status, stored.Version));
    }

    private static CheckAndConsumeConsent Step(PaymentsDatabase database, Sandbox.Infrastructure.SandboxDbContext db)
        => new(db, new NoFaultsHere());
}
