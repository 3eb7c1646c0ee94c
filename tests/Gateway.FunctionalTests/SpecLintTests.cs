using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Lint;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// Spec lint of real calls through the gateway: deliberately wrong requests and the exact problems the call detail
/// reports; a clean call has none; the per-app summary; and none of it visible to another organisation.
/// </summary>
public sealed class SpecLintTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string PaymentConsents = "/open-banking/v3.1/pisp/domestic-payment-consents";
    private const string AccountConsents = "/open-banking/v3.1/aisp/account-access-consents";

    private const string WrongPaymentConsent = """
        {"Data":{"ReadRefundAccount":"Maybe","Initiation":{"InstructionIdentification":"ii-lint","Colour":"blue",
        "InstructedAmount":{"Amount":"12.345678","Currency":"GBP"},
        "CreditorAccount":{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"20000012345678","Name":"Jane Smith"}}},"Risk":{}}
        """;

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task AWrongPaymentConsent_ReportsEachProblem_WithItsPathRuleAndValue()
    {
        var interactionId = Guid.NewGuid().ToString();
        using (await SendAsync(HttpMethod.Post, PaymentConsents, await _wallet.ClientTokenAsync("payments"), WrongPaymentConsent, interactionId))
        {
        }

        var (raw, detail) = await LintedDetailAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
        var problems = Problems(detail);

        var amount = Assert.Single(problems, p => p.Rule == "schema.pattern");
        Assert.Equal(("request", "Data.Initiation.InstructedAmount.Amount", "error"), (amount.Direction, amount.Path, amount.Severity));
        Assert.Equal("""`Data.Initiation.InstructedAmount.Amount` does not match `^\d{1,13}$|^\d{1,13}\.\d{1,5}$` (sent "12.345678").""", amount.Message);

        var required = Assert.Single(problems, p => p.Rule == "schema.required");
        Assert.Equal("Data.Initiation.EndToEndIdentification", required.Path);
        Assert.Equal("`Data.Initiation.EndToEndIdentification` is required and was not sent.", required.Message);

        var extra = Assert.Single(problems, p => p.Rule == "schema.additional");
        Assert.Equal("Data.Initiation.Colour", extra.Path);

        var enumeration = Assert.Single(problems, p => p.Rule == "schema.enum");
        Assert.Equal("Data.ReadRefundAccount", enumeration.Path);
        Assert.Equal("""`Data.ReadRefundAccount` is not one of No, Yes (sent "Maybe").""", enumeration.Message);

        var missingKey = Assert.Single(problems, p => p.Rule == "header.missing" && p.Path == "x-idempotency-key");
        Assert.Equal(("request", "error"), (missingKey.Direction, missingKey.Severity));
        Assert.Equal("`x-idempotency-key` is required by CreateDomesticPaymentConsents and was not sent.", missingKey.Message);

        // The client sent its interaction id: no warning about it. The count on the call matches the list.
        Assert.DoesNotContain(problems, p => p.Path == "x-fapi-interaction-id");
        Assert.Equal(problems.Count, detail.GetProperty("call").GetProperty("problemCount").GetInt32());
        // The token never appears in a message.
        Assert.DoesNotContain("Bearer ey", raw);
    }

    [Fact]
    public async Task ACleanConsentRequest_HasNoProblems_AndProblemCountZero()
    {
        var interactionId = Guid.NewGuid().ToString();
        using (var response = await SendAsync(HttpMethod.Post, AccountConsents, await _wallet.ClientTokenAsync(),
            """{"Data":{"Permissions":["ReadAccountsBasic"],"ExpirationDateTime":"2099-01-01T00:00:00+00:00"},"Risk":{}}""", interactionId))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var (_, detail) = await LintedDetailAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
        Assert.Empty(Problems(detail));
        Assert.Equal(0, detail.GetProperty("call").GetProperty("problemCount").GetInt32());
    }

    [Fact]
    public async Task ACustomersAccountsAndBalances_AsTheBankAnswersThem_HaveNoProblems()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        var token = tokens.GetProperty("access_token").GetString()!;
        foreach (var path in new[] { "/open-banking/v3.1/aisp/accounts", "/open-banking/v3.1/aisp/balances", "/open-banking/v4.0/aisp/accounts" })
        {
            var interactionId = Guid.NewGuid().ToString();
            using (var response = await SendAsync(HttpMethod.Get, path, token, null, interactionId))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var (_, detail) = await LintedDetailAsync(DevelopmentSeed.DemoOrganisationId, interactionId);
            Assert.True(Problems(detail).Count == 0, path + ": " + string.Join("; ", Problems(detail).Select(p => p.Message)));
        }
    }

    [Fact]
    public async Task ACallWithoutAnInteractionId_GetsAWarning_AndTheGatewaysIdIsLogged()
    {
        string sentBack;
        using (var client = platform.Gateway.CreateClient())
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _wallet.ClientTokenAsync());
            var consentId = await _wallet.CreateConsentAsync();
            using var response = await client.GetAsync($"{AccountConsents}/{consentId}", _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sentBack = response.Headers.GetValues("x-fapi-interaction-id").Single();
        }

        var (_, detail) = await LintedDetailAsync(DevelopmentSeed.DemoOrganisationId, sentBack);
        var warning = Assert.Single(Problems(detail));
        Assert.Equal(("header.missing", "x-fapi-interaction-id", "warning"), (warning.Rule, warning.Path, warning.Severity));
    }

    [Fact]
    public async Task TheProblemsSummary_CountsEachProblemOfTheApp_WithTheLatestExample_ForItsOrganisationOnly()
    {
        var other = await RegisterAppAsync("org-lint-" + Guid.NewGuid().ToString("N")[..8], "payments");
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var interactionId = Guid.NewGuid().ToString();
            ids.Add(interactionId);
            using (await SendAsync(HttpMethod.Post, PaymentConsents, await other.Wallet.ClientTokenAsync("payments"), WrongPaymentConsent, interactionId))
            {
            }
        }

        var (_, latest) = await LintedDetailAsync(other.OrganisationId, ids[^1]);
        using var portal = await PortalAsync();
        var summary = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls/problems?organisationId={other.OrganisationId}&clientId={other.Wallet.ClientId}&days=7", _ct);
        var amount = Assert.Single(summary.EnumerateArray(), s => s.GetProperty("rule").GetString() == "schema.pattern");
        Assert.Equal("Data.Initiation.InstructedAmount.Amount", amount.GetProperty("path").GetString());
        Assert.Equal(2, amount.GetProperty("count").GetInt32());
        Assert.Equal("POST", amount.GetProperty("method").GetString());
        Assert.Equal(PaymentConsents, amount.GetProperty("routeTemplate").GetString());
        Assert.Equal("v3.1.11", amount.GetProperty("apiVersion").GetString());
        Assert.Equal(latest.GetProperty("call").GetProperty("id").GetInt64(), amount.GetProperty("exampleCallId").GetInt64());
        Assert.Contains("12.345678", amount.GetProperty("exampleMessage").GetString());

        // Another organisation (the demo one) asking for this app, or for itself, sees none of these.
        var theirs = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls/problems?organisationId={DevelopmentSeed.DemoOrganisationId}&clientId={other.Wallet.ClientId}", _ct);
        Assert.Empty(theirs.EnumerateArray());
        using var unscoped = await portal.GetAsync("/internal/calls/problems", _ct);
        Assert.Equal(HttpStatusCode.BadRequest, unscoped.StatusCode);
        var callId = latest.GetProperty("call").GetProperty("id").GetInt64();
        using var detailAsDemo = await portal.GetAsync($"/internal/calls/{callId}?organisationId={DevelopmentSeed.DemoOrganisationId}", _ct);
        Assert.Equal(HttpStatusCode.NotFound, detailAsDemo.StatusCode);
    }

    [Fact]
    public async Task TheConsentFilter_ListsTheCreate_AndEveryCallNamingTheConsent()
    {
        var token = await _wallet.ClientTokenAsync();
        var createId = Guid.NewGuid().ToString();
        string consentId;
        using (var created = await SendAsync(HttpMethod.Post, AccountConsents, token,
            """{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{}}""", createId))
        {
            consentId = (await created.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
        }

        var readId = Guid.NewGuid().ToString();
        using (await SendAsync(HttpMethod.Get, $"{AccountConsents}/{consentId}", token, null, readId))
        {
        }

        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = await PortalAsync();
        var page = await portal.GetFromJsonAsync<JsonElement>(
            $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&consentId={consentId}", _ct);
        var listed = page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("interactionId").GetString()).ToList();
        Assert.Equal([readId, createId], listed);
        Assert.All(page.GetProperty("items").EnumerateArray(), c => Assert.Equal(consentId, c.GetProperty("consentId").GetString()));
        var other = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId=someone-else&consentId={consentId}", _ct);
        Assert.Equal(0, other.GetProperty("total").GetInt32());
    }

    internal static List<CallProblemRow> Problems(JsonElement detail)
        => detail.GetProperty("problems").EnumerateArray().Select(p => new CallProblemRow(
            p.GetProperty("direction").GetString()!, p.GetProperty("rule").GetString()!, p.GetProperty("path").GetString(),
            p.GetProperty("message").GetString()!, p.GetProperty("severity").GetString()!)).ToList();

    internal sealed record CallProblemRow(string Direction, string Rule, string? Path, string Message, string Severity);

    /// <summary>The call with this interaction id once written and linted, found through the list as the Portal does.</summary>
    private async Task<(string Raw, JsonElement Detail)> LintedDetailAsync(string organisationId, string interactionId)
    {
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        await platform.Gateway.Services.GetRequiredService<SpecLintWorker>().FlushAsync(_ct);
        using var portal = await PortalAsync();
        var page = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={organisationId}&interactionId={interactionId}", _ct);
        var id = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64();
        using var response = await portal.GetAsync($"/internal/calls/{id}?organisationId={organisationId}", _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(_ct);
        return (raw, JsonDocument.Parse(raw).RootElement.Clone());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, string? body, string interactionId)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        return await client.SendAsync(request, _ct);
    }

    private async Task<HttpClient> PortalAsync()
    {
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        var client = platform.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
        return client;
    }

    private async Task<(string OrganisationId, Wallet Wallet)> RegisterAppAsync(string organisationId, string scope)
    {
        var portalIdentity = platform.Wallet("portal-service", "portal-service-dev-secret");
        using var identity = platform.Identity.CreateClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await portalIdentity.ClientTokenAsync(PlatformScopes.IdentityClients));
        using var created = await identity.PostAsJsonAsync("/internal/clients", new
        {
            name = "Lint Wallet",
            organisationId,
            organisationName = "Lint Wallet Ltd",
            redirectUris = new[] { "https://lint.example/callback" },
            scopes = new[] { scope },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        return (organisationId, platform.Wallet(app.GetProperty("clientId").GetString()!, app.GetProperty("clientSecret").GetString()!));
    }
}
