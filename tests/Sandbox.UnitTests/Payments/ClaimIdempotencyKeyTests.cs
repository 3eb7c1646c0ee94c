using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

public sealed class ClaimIdempotencyKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_WithANewKey_FindsNoRepeat()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        await using var db = database.Context();
        var payment = database.Payment("pdc-1");

        await new ClaimIdempotencyKey(db, new NoFaultsHere()).CheckAsync(payment, Ct);

        Assert.Null(payment.Repeated);
    }

    [Fact]
    public async Task Check_WithTheKeyOfTheSameRequest_AnswersWithItsPayment()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var first = await PaidAsync(database, "key-1");
        await using var db = database.Context();
        var again = database.Payment(first.ConsentId, "key-1");

        await new ClaimIdempotencyKey(db, new NoFaultsHere()).CheckAsync(again, Ct);

        Assert.Equal(first.Id, again.Repeated?.Id);
    }

    [Fact]
    public async Task Check_WithTheKeyOfAnotherRequest_IsRefused()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        var first = await PaidAsync(database, "key-1", hash: "another-body");
        await using var db = database.Context();

        var refused = await Assert.ThrowsAsync<ObieException>(() => new ClaimIdempotencyKey(db, new NoFaultsHere()).CheckAsync(database.Payment(first.ConsentId, "key-1"), Ct).AsTask());

        Assert.Equal(ObieErrorCodes.HeaderInvalid, refused.Errors[0].ErrorCode);
    }

    [Fact]
    public async Task Apply_ClaimsTheKeyOnce_SoAConcurrentDuplicateFailsAtItsSave()
    {
        await using var database = await PaymentsDatabase.CreateAsync();
        await PaidAsync(database, "key-1");
        await using var db = database.Context();
        var duplicate = database.Payment("pdc-2", "key-1");
        duplicate.Payment = TestPayments.New(database, "pdc-2");

        await new ClaimIdempotencyKey(db, new NoFaultsHere()).ApplyAsync(duplicate, db, Ct);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    /// <summary>A payment recorded with its key claimed, as the pipeline leaves it.</summary>
    private static async Task<DomesticPayment> PaidAsync(PaymentsDatabase database, string key, string hash = "hash-1")
    {
        await using var db = database.Context();
        var payment = TestPayments.New(database, "pdc-" + key);
        db.DomesticPayments.Add(payment);
        Idempotency.Claim(db, PaymentsDatabase.ClientId, PaymentService.CreatePaymentOperation, key, hash, payment.Id, database.Now);
        await db.SaveChangesAsync(Ct);
        return payment;
    }
}

internal static class TestPayments
{
    public static DomesticPayment New(PaymentsDatabase database, string consentId) => new()
    {
        Id = DomesticPayment.NewId(),
        TenantId = database.TenantId,
        ClientId = PaymentsDatabase.ClientId,
        ConsentId = consentId,
        CustomerId = "c-1",
        DebtorAccountId = database.Payer.Id,
        CreditorAccountId = database.Payee.Id,
        AmountMinor = 1_250,
        Currency = "GBP",
        CreditorName = "Payee",
        CreditorIdentification = database.Payee.Identification,
        CreationDateTime = database.Now,
        StatusUpdateDateTime = database.Now,
        RiskReasons = string.Empty,
    };
}
