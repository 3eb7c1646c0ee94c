using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Account-access consents across versions: a v3.1.11 consent is read and used through v4.0; a v4.0 consent does not
/// exist for v3.1.11 and its token is refused there, and nothing changes on refusal. The v4.0 statuses of the domain's
/// states, the version in the internal consent details, and the consent journey for v4.0 consents of every kind.
/// </summary>
public sealed class V4ConsentTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Permissions = "ReadAccountsDetail ReadBalances";

    private static readonly OpenApiContract V4 = OpenApiContract.Load("obie-v4.0/account-info-openapi.yaml");
    private static readonly OpenApiContract V3 = OpenApiContract.Load("obie-v3.1.11/account-info-openapi.yaml");

    private readonly SandboxClient _sandbox = new(factory);
    private readonly PaymentsClient _payments = new(factory);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task V3Consent_IsReadThroughV4InItsShape_AndItsTokenReadsV4Accounts()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync(Permissions);

        var (status, consent) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.AispV4}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.OK, status);
        V4.AssertResponse("/account-access-consents/{ConsentId}", "get", 200, consent);
        Assert.Equal("AUTH", consent.GetProperty("Data").GetProperty("Status").GetString());
        Assert.EndsWith($"/open-banking/v4.0/aisp/account-access-consents/{consentId}", consent.GetProperty("Links").GetProperty("Self").GetString(), StringComparison.Ordinal);

        var (readStatus, accounts) = await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/accounts");
        Assert.Equal(HttpStatusCode.OK, readStatus);
        V4.AssertResponse("/accounts", "get", 200, accounts);

        // Still a v3.1.11 consent for v3.1.11.
        var (_, older) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");
        Assert.Equal("Authorised", older.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(ApiVersion.V3_1_11, await VersionOfAsync(consentId));
    }

    [Fact]
    public async Task V4Consent_IsNotFoundThroughV3_AndItsTokenIsForbiddenThere_NothingChanges()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync(Permissions, aisp: SandboxClient.AispV4);
        var before = await RowAsync(consentId);
        Assert.Equal(ApiVersion.V4_0, before.ApiVersion);

        var (readStatus, read) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.BadRequest, readStatus);
        V3.AssertResponse("/account-access-consents/{ConsentId}", "get", 400, read);
        var error = read.GetProperty("Errors")[0];
        Assert.Equal("UK.OBIE.Resource.NotFound", error.GetProperty("ErrorCode").GetString());
        Assert.Contains("v4.0", error.GetProperty("Message").GetString(), StringComparison.Ordinal);

        using (var client = _sandbox.Client(SandboxFactory.ClientToken()))
        using (var deleted = await client.DeleteAsync($"{SandboxClient.Aisp}/account-access-consents/{consentId}", _ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, deleted.StatusCode);
            var body = await deleted.Content.ReadFromJsonAsync<JsonElement>(_ct);
            V3.AssertResponse("/account-access-consents/{ConsentId}", "delete", 400, body);
            Assert.Equal("UK.OBIE.Resource.NotFound", body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        }

        var (accountsStatus, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, accountsStatus);
        var (balancesStatus, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/balances");
        Assert.Equal(HttpStatusCode.Forbidden, balancesStatus);

        // Nothing changed: not deleted, not touched, never used; and it still works where it belongs.
        var after = await RowAsync(consentId);
        Assert.Null(after.DeletedAt);
        Assert.Equal(before.Version, after.Version);
        Assert.Null(after.LastUsedAt);
        var (v4Status, v4) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.AispV4}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.OK, v4Status);
        Assert.Equal("AUTH", v4.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/accounts")).Status);
    }

    [Fact]
    public async Task V3Consent_DeletedThroughV4_StopsItsToken()
    {
        var (consentId, _, token) = await _sandbox.AuthorisedAsync(Permissions);
        using var client = _sandbox.Client(SandboxFactory.ClientToken());

        using var deleted = await client.DeleteAsync($"{SandboxClient.AispV4}/account-access-consents/{consentId}", _ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts")).Status);
        var (status, gone) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.AispV4}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("U011", gone.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task AnotherClientsConsent_IsForbiddenInV4()
    {
        var consentId = await _sandbox.CreateConsentAsync(Permissions, aisp: SandboxClient.AispV4);

        var (status, _) = await _sandbox.GetAsync(SandboxFactory.ClientToken("wallet-b"), $"{SandboxClient.AispV4}/account-access-consents/{consentId}");

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task V4Statuses_MapTheDomainStates_WithReasons()
    {
        var rejected = await _sandbox.CreateConsentAsync(Permissions, aisp: SandboxClient.AispV4);
        await InternalPostAsync($"/internal/consents/{rejected}/reject", new { customerId = await _sandbox.CustomerIdAsync("alice") });
        var rejectedBody = await ReadV4Async(rejected);
        Assert.Equal("RJCT", Status(rejectedBody));
        Assert.NotEmpty(rejectedBody.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonDescription").GetString()!);

        var (withdrawn, _, _) = await _sandbox.AuthorisedAsync(Permissions, aisp: SandboxClient.AispV4);
        await InternalPostAsync($"/internal/consents/{withdrawn}/revoke", new { customerId = await _sandbox.CustomerIdAsync("alice") });
        var withdrawnBody = await ReadV4Async(withdrawn);
        // Withdrawing access keeps the consent (the customer may authorise it again): AUTH, with the reason.
        Assert.Equal("AUTH", Status(withdrawnBody));
        Assert.Contains("withdrew", withdrawnBody.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonDescription").GetString(), StringComparison.Ordinal);

        var expiry = DateTimeOffset.UtcNow.AddHours(1);
        var (expiring, _, _) = await _sandbox.AuthorisedAsync(Permissions, extraData: $",\"ExpirationDateTime\":\"{expiry:yyyy-MM-ddTHH:mm:ss}+00:00\"");
        var awaiting = await _sandbox.CreateConsentAsync(Permissions, aisp: SandboxClient.AispV4,
            extraData: $",\"ExpirationDateTime\":\"{expiry:yyyy-MM-ddTHH:mm:ss}+00:00\"");
        Assert.Equal("AUTH", Status(await ReadV4Async(expiring)));
        Assert.Equal("AWAU", Status(await ReadV4Async(awaiting)));
        factory.Clock.Offset = TimeSpan.FromHours(2);
        try
        {
            var expired = await ReadV4Async(expiring);
            Assert.Equal("EXPD", Status(expired));
            Assert.Contains("expired", expired.GetProperty("Data").GetProperty("StatusReason")[0].GetProperty("StatusReasonDescription").GetString(), StringComparison.Ordinal);
            Assert.Equal("EXPD", Status(await ReadV4Async(awaiting)));
            // v3.1.11 has no word for it and shows the stored status, as it always has.
            var (_, older) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{expiring}");
            Assert.Equal("Authorised", Status(older));
        }
        finally
        {
            factory.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task InternalDetails_NameTheVersion_ForEveryKind()
    {
        var v4 = await _sandbox.CreateConsentAsync(Permissions, aisp: SandboxClient.AispV4);
        var v3 = await _sandbox.CreateConsentAsync(Permissions);
        var (payment, paymentToken, initiation, _) = await _payments.AuthorisedAsync();
        var (funds, _, _) = await FundsConfirmationTests.AuthorisedAsync(_payments);
        var (submitted, _, made) = await _payments.SubmitAsync(paymentToken, payment, initiation);
        Assert.Equal(HttpStatusCode.Created, submitted);
        var paymentId = made.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        await WithDbAsync(db => db.DomesticPayments.Where(p => p.Id == paymentId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.ApiVersion, ApiVersion.V4_0), _ct));

        Assert.Equal("v4.0", (await InternalGetAsync(v4)).GetProperty("ApiVersion").GetString());
        Assert.Equal("v3.1.11", (await InternalGetAsync(v3)).GetProperty("ApiVersion").GetString());
        Assert.Equal("v3.1.11", (await InternalGetAsync(payment)).GetProperty("ApiVersion").GetString());
        Assert.Equal("v3.1.11", (await InternalGetAsync(funds)).GetProperty("ApiVersion").GetString());

        var customerId = await _sandbox.CustomerIdAsync("alice");
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        var payments = await client.GetFromJsonAsync<JsonElement[]>("/internal/tenants/org-a/payments?take=500", _ct);
        Assert.Equal("v4.0", payments!.Single(p => p.GetProperty("PaymentId").GetString() == paymentId).GetProperty("ApiVersion").GetString());
        Assert.All(payments!, p => Assert.Contains(p.GetProperty("ApiVersion").GetString(), new[] { "v3.1.11", "v4.0" }));
        var listed = await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/org-a/customers/{customerId}/consents", _ct);
        Assert.All(listed!, c => Assert.Contains(c.GetProperty("ApiVersion").GetString(), new[] { "v3.1.11", "v4.0" }));
    }

    [Fact]
    public async Task ConsentJourney_AuthorisesAndRejects_V4ConsentsOfEveryKind()
    {
        // Account access through the v4.0 API; payment and funds-confirmation consents are made v4.0 ones in the
        // database (their v4.0 endpoints are another edge): the journey must not care which version made them.
        var (access, _, token) = await _sandbox.AuthorisedAsync(Permissions, aisp: SandboxClient.AispV4);
        Assert.Equal("Authorised", (await InternalGetAsync(access)).GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/accounts")).Status);

        var initiation = PaymentsClient.Initiation();
        var (createdPayment, paymentBody) = await _payments.CreateConsentAsync(initiation);
        Assert.Equal(HttpStatusCode.Created, createdPayment);
        var payment = paymentBody.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var (createdOther, otherBody) = await _payments.CreateConsentAsync(PaymentsClient.Initiation());
        Assert.Equal(HttpStatusCode.Created, createdOther);
        var rejectedPayment = otherBody.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var (funds, _, fundsAccount) = await FundsConfirmationTests.AuthorisedAsync(_payments, authorise: false);
        await WithDbAsync(async db =>
        {
            await db.DomesticPaymentConsents.Where(c => c.Id == payment || c.Id == rejectedPayment)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ApiVersion, ApiVersion.V4_0), _ct);
            await db.FundsConfirmationConsents.Where(c => c.Id == funds)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.ApiVersion, ApiVersion.V4_0), _ct);
        });

        var account = (await _payments.AccountAsync("alice")).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(payment, "alice", account));
        Assert.Equal(HttpStatusCode.OK, await _payments.AuthoriseAsync(funds, "alice", fundsAccount));
        await InternalPostAsync($"/internal/consents/{rejectedPayment}/reject", new { customerId = await _sandbox.CustomerIdAsync("alice") });

        foreach (var (id, status) in new[] { (payment, "Authorised"), (funds, "Authorised"), (rejectedPayment, "Rejected") })
        {
            var details = await InternalGetAsync(id);
            Assert.Equal("v4.0", details.GetProperty("ApiVersion").GetString());
            Assert.Equal(status, details.GetProperty("Status").GetString());
        }
    }

    private static string? Status(JsonElement consent) => consent.GetProperty("Data").GetProperty("Status").GetString();

    private async Task<JsonElement> ReadV4Async(string consentId)
    {
        var (status, body) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.AispV4}/account-access-consents/{consentId}");
        Assert.Equal(HttpStatusCode.OK, status);
        V4.AssertResponse("/account-access-consents/{ConsentId}", "get", 200, body);
        return body;
    }

    private async Task<JsonElement> InternalGetAsync(string consentId)
    {
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        return await client.GetFromJsonAsync<JsonElement>($"/internal/consents/{consentId}", _ct);
    }

    private async Task InternalPostAsync(string path, object body)
    {
        using var client = _sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsJsonAsync(path, body, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<ApiVersion> VersionOfAsync(string consentId) => WithDbAsync(db => db.AccountAccessConsents.Where(c => c.Id == consentId).Select(c => c.ApiVersion).SingleAsync(_ct));

    private Task<Consents.AccountAccessConsent> RowAsync(string consentId) => WithDbAsync(db => db.AccountAccessConsents.AsNoTracking().SingleAsync(c => c.Id == consentId, _ct));

    private async Task<T> WithDbAsync<T>(Func<SandboxDbContext, Task<T>> work)
    {
        using var scope = factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<SandboxDbContext>());
    }

    private async Task WithDbAsync(Func<SandboxDbContext, Task> work)
    {
        using var scope = factory.Services.CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<SandboxDbContext>());
    }
}
