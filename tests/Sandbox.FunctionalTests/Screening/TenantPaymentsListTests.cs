using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Payments.International;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.FunctionalTests.Screening;

/// <summary>
/// The Portal's payments list (<c>GET /internal/tenants/{org}/payments</c>) for a payment abroad: its kind, what was
/// sent in which currency at which rate, and the screening reasons that held it. The payment row is written directly
/// (as the international pipeline leaves it), so the list is tested on its own.
/// </summary>
public sealed class TenantPaymentsListTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeldInternationalPayment_IsListedWithKindSentAmountRateAndScreeningReasons()
    {
        var paymentId = InternationalTransfer.NewPaymentId();
        var consentId = "ipc-" + Guid.NewGuid().ToString("N");
        var payerId = (await _payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        await _payments.WithDbAsync(async db =>
        {
            var payer = await db.Accounts.SingleAsync(a => a.Id == payerId, _ct);
            var tenant = await db.Tenants.SingleAsync(t => t.Id == payer.TenantId, _ct);
            var now = DateTime.UtcNow;
            db.DomesticPayments.Add(new DomesticPayment
            {
                Id = paymentId, Kind = PaymentKind.International, TenantId = tenant.Id, ClientId = "client-a", ConsentId = consentId,
                CustomerId = payer.CustomerId, DebtorAccountId = payer.Id, AmountMinor = 9089, Currency = "GBP",
                CreditorName = "Bank Meli Iran", CreditorIdentification = "DE89370400440532013000", CreationDateTime = now,
                StatusUpdateDateTime = now, Status = PaymentStatus.Pending, StatusReason = PaymentStatusReasons.HeldForReview,
                ApiVersion = ApiVersion.V3_1_11, RiskScore = 55,
                RiskReasons = "SanctionsNameMatch: 'Bank Meli Iran' ~ 'Bank Melli Iran' (97) (+55); UnusualHour: 03:00 (+10)",
            });
            db.InternationalTransfers.Add(new InternationalTransfer
            {
                PaymentId = paymentId, TenantId = tenant.Id, ConsentId = consentId, DebitCurrency = "GBP", PrincipalMinor = 8589,
                DebtorFeeMinor = 500, TransferCurrency = "EUR", TransferMinor = 10000, DeductedFeeMinor = 800, SentMinor = 9200,
                RateType = "Actual", ExchangeRate = 1.164313m, MidRate = 1.168402m, ChargeBearer = "Shared", ChargesJson = "[]",
                ScreeningJson = "{\"Outcome\":\"Review\",\"Findings\":[{\"Points\":55,\"Reason\":\"SanctionsNameMatch: 'Bank Meli Iran' ~ 'Bank Melli Iran' (97)\"},{\"Points\":10,\"Reason\":\"NewDestinationCountry: DE\"}]}",
            });
            return await db.SaveChangesAsync(_ct);
        });
        using var client = _payments.Sandbox.Client(SandboxFactory.InternalToken());

        var listed = await client.GetFromJsonAsync<JsonElement>("/internal/tenants/org-a/payments?take=50", _ct);

        var payment = listed.EnumerateArray().Single(p => p.GetProperty("PaymentId").GetString() == paymentId);
        Assert.Equal("International", payment.GetProperty("Kind").GetString());
        Assert.Equal(("90.89", "GBP"), (payment.GetProperty("Amount").GetString(), payment.GetProperty("Currency").GetString()));
        Assert.Equal(("92.00", "EUR"), (payment.GetProperty("SentAmount").GetString(), payment.GetProperty("SentCurrency").GetString()));
        Assert.Equal(1.164313m, payment.GetProperty("ExchangeRate").GetDecimal());
        Assert.True(payment.GetProperty("HeldForReview").GetBoolean());
        Assert.Equal(
            ["SanctionsNameMatch: 'Bank Meli Iran' ~ 'Bank Melli Iran' (97) (+55)", "NewDestinationCountry: DE (+10)"],
            payment.GetProperty("ScreeningReasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void TheSandbox_ScreensWithTheRealScreening_AndItsEmbeddedSanctionsSample()
    {
        var screening = factory.Services.GetRequiredService<ICreditorScreening>();
        var payee = new CreditorDetails("Sanctioned Trading Co", "UK.OBIE.IBAN", "DE89370400440532013000", null, null, "DE", [], "EUR", null);

        Assert.IsType<CreditorScreening>(screening);
        Assert.Empty(screening.CheckIdentifiers(payee));
        Assert.Equal(ScreeningOutcome.Review, screening.Screen(payee, 10_000, "GBP", new HashSet<string> { "DE" }).Outcome);
        Assert.NotEmpty(screening.CheckIdentifiers(payee with { Identification = "DE89370400440532013001" }));
    }

    [Fact]
    public async Task DomesticPayment_IsListedAsBefore_WithoutInternationalFields()
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(amount: "12.34");
        var (_, _, body) = await _payments.SubmitAsync(token, consentId, initiation);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        using var client = _payments.Sandbox.Client(SandboxFactory.InternalToken());

        var listed = await client.GetFromJsonAsync<JsonElement>("/internal/tenants/org-a/payments?take=50", _ct);

        var payment = listed.EnumerateArray().Single(p => p.GetProperty("PaymentId").GetString() == paymentId);
        Assert.Equal("Domestic", payment.GetProperty("Kind").GetString());
        Assert.Equal("12.34", payment.GetProperty("Amount").GetString());
        Assert.Equal(JsonValueKind.Null, Field(payment, "SentAmount"));
        Assert.Equal(JsonValueKind.Null, Field(payment, "ExchangeRate"));
        Assert.Equal(JsonValueKind.Null, Field(payment, "ScreeningReasons"));
        Assert.False(string.IsNullOrEmpty(payment.GetProperty("Reference").GetString()));
    }

    // Absent and null are the same to the Portal (the internal API leaves nulls out).
    private static JsonValueKind Field(JsonElement payment, string name)
        => payment.TryGetProperty(name, out var value) ? value.ValueKind : JsonValueKind.Null;
}
