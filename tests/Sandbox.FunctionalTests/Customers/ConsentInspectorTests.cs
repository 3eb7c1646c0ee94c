using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.Customers;

/// <summary>
/// A consent's durable history (written beside its outbox rows, in the same transaction), the inspector's search and
/// timeline (one organisation, one app), and the bank's refusal reason headers for the gateway's call log.
/// </summary>
public sealed class ConsentInspectorTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewOrganisation() => "org-insp-" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Internal() => _sandbox.Client(SandboxFactory.InternalToken());

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetInternalAsync(string path)
    {
        using var client = Internal();
        using var response = await client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task RevokeAsync(string consentId, string username, string organisation)
    {
        var customerId = await _sandbox.CustomerIdAsync(username, organisation);
        using var client = Internal();
        using var revoked = await client.PostAsync($"/internal/consents/{consentId}/revoke",
            new StringContent($$"""{"CustomerId":"{{customerId}}"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
    }

    [Fact]
    public async Task Timeline_FollowsAConsent_FromCreationThroughAuthorisationToRevocation_AndTheRefusalSaysWhy()
    {
        var organisation = NewOrganisation();
        var (consentId, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadBalances", organisationId: organisation);
        var (ok, _) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts");
        await RevokeAsync(consentId, "alice", organisation);

        using var client = _sandbox.Client(token);
        using var refused = await client.GetAsync($"{SandboxClient.Aisp}/accounts", Ct);
        var (status, timeline) = await GetInternalAsync($"/internal/tenants/{organisation}/consents/{consentId}/timeline?clientId=wallet-a");

        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("consent.revoked", refused.Headers.GetValues(PlatformHeaders.RefusalRule).Single());
        var reason = refused.Headers.GetValues(PlatformHeaders.RefusalReason).Single();
        Assert.StartsWith($"Consent {consentId} was revoked by the customer at ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice", reason, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(consentId, timeline.GetProperty("Consent").GetProperty("ConsentId").GetString());
        Assert.Equal("AccountAccess", timeline.GetProperty("Consent").GetProperty("Kind").GetString());
        Assert.Equal("alice", timeline.GetProperty("Consent").GetProperty("CustomerUsername").GetString());
        Assert.Equal(["ReadAccountsBasic", "ReadBalances"], timeline.GetProperty("Permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(accounts, timeline.GetProperty("AccountIds").EnumerateArray().Select(p => p.GetString()));
        Assert.NotEqual(JsonValueKind.Null, timeline.GetProperty("AccessRevokedAt").ValueKind);
        var changes = timeline.GetProperty("Changes").EnumerateArray()
            .Select(c => (Status: c.GetProperty("Status").GetString(), Actor: c.GetProperty("Actor").GetString(), Detail: c.GetProperty("Detail").GetString()!)).ToList();
        Assert.Equal([("AwaitingAuthorisation", "tpp"), ("Authorised", "customer"), ("AccessRevoked", "customer")], changes.Select(c => (c.Status, c.Actor)));
        Assert.Contains(accounts[0], changes[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expiry_IsRecordedOnce_WhenACallFindsIt_AndTheRefusalNamesTheTime()
    {
        var organisation = NewOrganisation();
        var expires = factory.Clock.GetUtcNow().AddHours(1);
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", organisationId: organisation,
            extraData: $",\"ExpirationDateTime\":\"{expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"");
        using (var clock = Internal())
        {
            using var moved = await clock.PostAsync($"/internal/tenants/{organisation}/clock", new StringContent("""{"Advance":"PT2H"}""", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using var client = _sandbox.Client(token);
        using var first = await client.GetAsync($"{SandboxClient.Aisp}/accounts", Ct);
        using var second = await client.GetAsync($"{SandboxClient.Aisp}/accounts", Ct);
        var (_, timeline) = await GetInternalAsync($"/internal/tenants/{organisation}/consents/{consentId}/timeline");

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("consent.expired", first.Headers.GetValues(PlatformHeaders.RefusalRule).Single());
        Assert.Contains(" expired at ", first.Headers.GetValues(PlatformHeaders.RefusalReason).Single(), StringComparison.Ordinal);
        var expired = timeline.GetProperty("Changes").EnumerateArray().Where(c => c.GetProperty("Status").GetString() == "Expired").ToList();
        var only = Assert.Single(expired);
        Assert.Equal("clock", only.GetProperty("Actor").GetString());
    }

    [Fact]
    public async Task History_CommitsOrRollsBackWithTheChange()
    {
        var organisation = NewOrganisation();
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic", organisationId: organisation);
        var customerId = await _sandbox.CustomerIdAsync("alice", organisation);

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var consent = await db.AccountAccessConsents.SingleAsync(c => c.Id == consentId, Ct);
            Assert.True(consent.Apply(ConsentAction.Authorise, ConsentActor.Customer, DateTimeOffset.UtcNow, customerId).Allowed);
            await db.SaveChangesAsync(Ct);
            Assert.Equal(1, await db.ConsentStatusChanges.CountAsync(c => c.ConsentId == consentId && c.Status == "Authorised", Ct));
            await transaction.RollbackAsync(Ct);
        }

        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            Assert.Equal(ConsentStatus.AwaitingAuthorisation, (await db.AccountAccessConsents.AsNoTracking().SingleAsync(c => c.Id == consentId, Ct)).Status);
            Assert.Equal(0, await db.ConsentStatusChanges.CountAsync(c => c.ConsentId == consentId && c.Status == "Authorised", Ct));
            Assert.Equal(0, await db.OutboxMessages.CountAsync(m => m.ResourceId == consentId && m.Status == "Authorised", Ct));
        }

        await _sandbox.AuthoriseAsync(consentId, "alice", organisation);
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            Assert.Equal(1, await db.ConsentStatusChanges.CountAsync(c => c.ConsentId == consentId && c.Status == "Authorised", Ct));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.ResourceId == consentId && m.Status == "Authorised" && m.Change == OutboxChange.StatusChanged, Ct));
        }
    }

    [Fact]
    public async Task Search_FindsByConsentIdOrCustomer_NewestFirst_ForOneOrganisationAndApp()
    {
        var organisation = NewOrganisation();
        var first = await _sandbox.CreateConsentAsync("ReadAccountsBasic", organisationId: organisation);
        var (second, _, _) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", "bob", organisationId: organisation);
        var otherApp = await _sandbox.CreateConsentAsync("ReadAccountsBasic", clientId: "wallet-b", organisationId: organisation);
        var elsewhere = await _sandbox.CreateConsentAsync("ReadAccountsBasic", organisationId: NewOrganisation());

        var (_, all) = await GetInternalAsync($"/internal/tenants/{organisation}/consents?take=10");
        var (_, app) = await GetInternalAsync($"/internal/tenants/{organisation}/consents?clientId=wallet-a");
        var (_, byUser) = await GetInternalAsync($"/internal/tenants/{organisation}/consents?q=bob");
        var (_, byId) = await GetInternalAsync($"/internal/tenants/{organisation}/consents?q={first}");
        var (_, foreign) = await GetInternalAsync($"/internal/tenants/{organisation}/consents?q={elsewhere}");
        var (otherOrg, _) = await GetInternalAsync($"/internal/tenants/{organisation}/consents/{elsewhere}/timeline");
        var (otherClient, _) = await GetInternalAsync($"/internal/tenants/{organisation}/consents/{otherApp}/timeline?clientId=wallet-a");

        static string?[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(c => c.GetProperty("ConsentId").GetString())];
        Assert.Equal([otherApp, second, first], Ids(all));
        Assert.Equal([second, first], Ids(app));
        Assert.Equal([second], Ids(byUser));
        Assert.Equal("bob", byUser[0].GetProperty("CustomerUsername").GetString());
        Assert.Equal([first], Ids(byId));
        Assert.Empty(Ids(foreign));
        Assert.Equal(HttpStatusCode.NotFound, otherOrg);
        Assert.Equal(HttpStatusCode.NotFound, otherClient);
    }

    [Fact]
    public async Task BankRefusals_CarryARuleAndAReason_WithoutChangingTheStatusOrBody()
    {
        var organisation = NewOrganisation();
        var (consentId, _, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic", organisationId: organisation);
        using var client = _sandbox.Client(token);

        using var permission = await client.GetAsync($"{SandboxClient.Aisp}/balances", Ct);
        using var account = await client.GetAsync($"{SandboxClient.Aisp}/accounts/acc-not-mine", Ct);
        using var partner = _sandbox.Client(SandboxFactory.ClientToken("wallet-a", organisation));
        using var field = await partner.PostAsync($"{SandboxClient.Aisp}/account-access-consents",
            new StringContent("""{"Data":{"Permissions":["ReadNothing"]},"Risk":{}}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, permission.StatusCode);
        Assert.Equal("consent.permission", permission.Headers.GetValues(PlatformHeaders.RefusalRule).Single());
        Assert.Contains(consentId, permission.Headers.GetValues(PlatformHeaders.RefusalReason).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, account.StatusCode);
        Assert.Equal("consent.account", account.Headers.GetValues(PlatformHeaders.RefusalRule).Single());
        Assert.Equal(HttpStatusCode.BadRequest, field.StatusCode);
        Assert.Equal("bank.field", field.Headers.GetValues(PlatformHeaders.RefusalRule).Single());
        Assert.Equal("UK.OBIE.Field.Invalid", (await field.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(field.Headers.GetValues(PlatformHeaders.RefusalReason).Single()));
    }

    [Fact]
    public async Task Timeline_OfAPaymentConsent_ShowsItConsumedByThePayment_AndTheSecondPaymentIsRefusedWithAReason()
    {
        var organisation = NewOrganisation();
        var payments = new PaymentsClient(factory);
        var (consentId, token, initiation, _) = await payments.AuthorisedAsync(amount: "12.34", organisationId: organisation);

        var (paid, _, payment) = await payments.SubmitAsync(token, consentId, initiation);
        using var client = _sandbox.Client(token);
        using var again = new HttpRequestMessage(HttpMethod.Post, $"{PaymentsClient.Pisp}/domestic-payments")
        {
            Content = new StringContent(PaymentsClient.PaymentBody(consentId, initiation), Encoding.UTF8, "application/json"),
        };
        again.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString("N"));
        using var refused = await client.SendAsync(again, Ct);
        var (_, timeline) = await GetInternalAsync($"/internal/tenants/{organisation}/consents/{consentId}/timeline");

        Assert.Equal(HttpStatusCode.Created, paid);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("consent.consumed", refused.Headers.GetValues(PlatformHeaders.RefusalRule).Single());
        Assert.Contains(consentId, refused.Headers.GetValues(PlatformHeaders.RefusalReason).Single(), StringComparison.Ordinal);
        Assert.Equal(["AwaitingAuthorisation", "Authorised", "Consumed"],
            timeline.GetProperty("Changes").EnumerateArray().Select(c => c.GetProperty("Status").GetString()));
        Assert.Equal("tpp", timeline.GetProperty("Changes")[2].GetProperty("Actor").GetString());
        var made = Assert.Single(timeline.GetProperty("Payments").EnumerateArray());
        Assert.Equal(payment.GetProperty("Data").GetProperty("DomesticPaymentId").GetString(), made.GetProperty("PaymentId").GetString());
        Assert.Equal("12.34", made.GetProperty("Amount").GetString());
    }

    [Fact]
    public async Task Timeline_ListsTheAppsEventNotificationsAboutTheConsent_NotAnotherAppsOrResources()
    {
        var organisation = NewOrganisation();
        var consentId = await _sandbox.CreateConsentAsync("ReadAccountsBasic", organisationId: organisation);
        var about = await NotifyAsync(organisation, "wallet-a", consentId, Sandbox.Events.EventDeliveryState.Delivered);
        await NotifyAsync(organisation, "wallet-b", consentId, Sandbox.Events.EventDeliveryState.PollingOnly);
        await NotifyAsync(organisation, "wallet-a", "aac-something-else", Sandbox.Events.EventDeliveryState.PollingOnly);

        var (_, timeline) = await GetInternalAsync($"/internal/tenants/{organisation}/consents/{consentId}/timeline");

        var only = Assert.Single(timeline.GetProperty("Events").EnumerateArray());
        Assert.Equal(about.ToString(System.Globalization.CultureInfo.InvariantCulture), only.GetProperty("NotificationId").GetString());
        Assert.Equal("Delivered", only.GetProperty("State").GetString());
        Assert.NotEqual(JsonValueKind.Null, only.GetProperty("AcknowledgedAt").ValueKind);
    }

    /// <summary>A notification row as the dispatcher makes them (its SET is not what this test reads).</summary>
    private async Task<long> NotifyAsync(string organisation, string clientId, string resourceId, Sandbox.Events.EventDeliveryState state)
    {
        using var scope = factory.Services.CreateScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<Tenancy.TenantService>().GetOrCreateAsync(organisation, Ct);
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var notification = new Sandbox.Events.EventNotification
        {
            Jti = Guid.NewGuid().ToString(),
            TenantId = tenant.Id,
            ClientId = clientId,
            EventType = Sandbox.Events.EventTypes.ResourceUpdate,
            ResourceType = "account-access-consent",
            ResourceId = resourceId,
            ResourceStatus = "AwaitingAuthorisation",
            Set = "not-read-here",
            Kid = "not-read-here",
            OccurredAt = now,
            CreatedAt = now,
            ExpiresAt = now.AddDays(7),
            State = state,
            AcknowledgedAt = state == Sandbox.Events.EventDeliveryState.Delivered ? now : null,
        };
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        db.EventNotifications.Add(notification);
        await db.SaveChangesAsync(Ct);
        return notification.Id;
    }
}
