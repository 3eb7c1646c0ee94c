using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.FunctionalTests;

public sealed class AccountAccessConsentTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Path = "/open-banking/v3.1/aisp/account-access-consents";
    private const string ValidBody = """{"Data":{"Permissions":["ReadAccountsBasic","ReadBalances"]},"Risk":{}}""";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_WithValidPermissions_Returns201AwaitingAuthorisationWithLinksAndMeta()
    {
        var body = """
            {"Data":{"Permissions":["ReadAccountsDetail","ReadBalances","ReadTransactionsDetail","ReadTransactionsCredits"],
              "ExpirationDateTime":"2099-01-01T00:00:00+00:00","TransactionFromDateTime":"2025-01-01T00:00:00Z",
              "TransactionToDateTime":"2026-12-31T23:59:59"},"Risk":{}}
            """;

        using var response = await PostAsync(SandboxFactory.ClientToken(), body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await ReadJsonAsync(response);
        var data = json.GetProperty("Data");
        var consentId = data.GetProperty("ConsentId").GetString()!;
        Assert.InRange(consentId.Length, 1, 128);
        Assert.Equal("AwaitingAuthorisation", data.GetProperty("Status").GetString());
        Assert.Equal(["ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail", "ReadTransactionsCredits"],
            data.GetProperty("Permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("2099-01-01T00:00:00+00:00", data.GetProperty("ExpirationDateTime").GetString());
        Assert.Equal("2026-12-31T23:59:59+00:00", data.GetProperty("TransactionToDateTime").GetString());
        Assert.EndsWith("+00:00", data.GetProperty("CreationDateTime").GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("Risk").ValueKind);
        Assert.Empty(json.GetProperty("Risk").EnumerateObject());
        Assert.Equal($"http://localhost:5002{Path}/{consentId}", json.GetProperty("Links").GetProperty("Self").GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("Meta").ValueKind);
        Assert.Equal($"http://localhost:5002{Path}/{consentId}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Create_WithoutOptionalDates_LeavesThemOut()
    {
        using var response = await PostAsync(SandboxFactory.ClientToken(), ValidBody);

        var data = (await ReadJsonAsync(response)).GetProperty("Data");
        Assert.False(data.TryGetProperty("ExpirationDateTime", out _));
        Assert.False(data.TryGetProperty("TransactionFromDateTime", out _));
    }

    [Theory]
    [InlineData("""{"Data":{"Permissions":[]},"Risk":{}}""", "UK.OBIE.Field.Invalid", "Data.Permissions")]
    [InlineData("""{"Data":{},"Risk":{}}""", "UK.OBIE.Field.Missing", "Data.Permissions")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic","ReadEverything"]},"Risk":{}}""", "UK.OBIE.Field.Invalid", "Data.Permissions")]
    [InlineData("""{"Data":{"Permissions":["ReadBalances"]},"Risk":{}}""", "UK.OBIE.Field.Invalid", "Data.Permissions")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic","ReadTransactionsBasic"]},"Risk":{}}""", "UK.OBIE.Field.Invalid", "Data.Permissions")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic","ReadTransactionsDebits"]},"Risk":{}}""", "UK.OBIE.Field.Invalid", "Data.Permissions")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic"],"ExpirationDateTime":"2001-01-01T00:00:00Z"},"Risk":{}}""", "UK.OBIE.Field.InvalidDate", "Data.ExpirationDateTime")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic"],"ExpirationDateTime":"next tuesday"},"Risk":{}}""", "UK.OBIE.Field.InvalidDate", "Data.ExpirationDateTime")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic"],"TransactionFromDateTime":"2026-02-01T00:00:00Z","TransactionToDateTime":"2026-01-01T00:00:00Z"},"Risk":{}}""", "UK.OBIE.Field.InvalidDate", "Data.TransactionFromDateTime")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic"]}}""", "UK.OBIE.Field.Missing", "Risk")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{"PaymentContextCode":"PartyToParty"}}""", "UK.OBIE.Field.Unexpected", "Risk.PaymentContextCode")]
    [InlineData("""{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{},"Extra":1}""", "UK.OBIE.Field.Unexpected", "Extra")]
    [InlineData("""{"Risk":{}}""", "UK.OBIE.Field.Missing", "Data")]
    public async Task Create_WithAnInvalidBody_Returns400NamingTheField(string body, string errorCode, string path)
    {
        using var response = await PostAsync(SandboxFactory.ClientToken(), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.Equal("400 BadRequest", json.GetProperty("Code").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("Message").GetString()));
        Assert.Contains(json.GetProperty("Errors").EnumerateArray(),
            e => e.GetProperty("ErrorCode").GetString() == errorCode && e.GetProperty("Path").GetString() == path);
    }

    [Fact]
    public async Task Create_WithSeveralProblems_ReportsEveryOne()
    {
        using var response = await PostAsync(SandboxFactory.ClientToken(),
            """{"Data":{"Permissions":["ReadBalances"],"ExpirationDateTime":"2001-01-01T00:00:00Z"}}""");

        var paths = (await ReadJsonAsync(response)).GetProperty("Errors").EnumerateArray()
            .Select(e => e.GetProperty("Path").GetString()).ToList();
        Assert.Contains("Risk", paths);
        Assert.Contains("Data.Permissions", paths);
        Assert.Contains("Data.ExpirationDateTime", paths);
    }

    [Fact]
    public async Task Create_WithMalformedJson_Returns400InvalidFormatAndStoresNothing()
    {
        var before = await CountConsentsAsync();

        using var response = await PostAsync(SandboxFactory.ClientToken(), """{"Data":{"Permissions":["ReadAccountsBasic"]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("Errors")[0];
        Assert.Equal("UK.OBIE.Resource.InvalidFormat", error.GetProperty("ErrorCode").GetString());
        Assert.Equal(before, await CountConsentsAsync());
    }

    [Fact]
    public async Task Create_WithANonJsonContentType_Returns415()
    {
        using var client = Client(SandboxFactory.ClientToken());

        using var response = await client.PostAsync(Path, new StringContent(ValidBody, Encoding.UTF8, "application/jose+jwe"), _ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.True(response.Headers.Contains("x-fapi-interaction-id"));
    }

    [Fact]
    public async Task Create_AcceptingOnlyXml_Returns406()
    {
        using var client = Client(SandboxFactory.ClientToken());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));

        using var response = await client.PostAsync(Path, Json(ValidBody), _ct);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithoutAToken_Returns401WithoutABodyButWithAnInteractionId()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(Path, Json(ValidBody), _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        Assert.Empty(await response.Content.ReadAsStringAsync(_ct));
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-fapi-interaction-id").Single(), out _));
    }

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "expired", SandboxFactory.ClientToken(lifetime: TimeSpan.FromMinutes(-10)) },
        { "wrong issuer", SandboxFactory.ClientToken(issuer: "http://evil.example/") },
        { "wrong audience", SandboxFactory.ClientToken(audience: "another-api") },
        { "unknown key", SandboxFactory.ClientToken(key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" }) },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Create_WithABadToken_Returns401(string why, string token)
    {
        using var response = await PostAsync(token, ValidBody);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
    }

    [Fact]
    public async Task Create_WithATamperedToken_Returns401()
    {
        var token = SandboxFactory.ClientToken();
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("org-a", "org-b", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        using var response = await PostAsync(tampered, ValidBody);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithoutTheAccountsScope_Returns403()
    {
        using var response = await PostAsync(SandboxFactory.ClientToken(scope: "payments"), ValidBody);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Create_WithACustomerToken_Returns403()
    {
        using var response = await PostAsync(SandboxFactory.ClientToken(consentId: "aac-1"), ValidBody);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Create_IgnoresSpoofedIdentityHeaders_TakingTheClientFromTheToken()
    {
        using var client = Client(SandboxFactory.ClientToken(clientId: "wallet-a"));
        client.DefaultRequestHeaders.Add("x-client-id", "wallet-b");
        client.DefaultRequestHeaders.Add("x-tenant-id", "org-b");
        using var created = await client.PostAsync(Path, Json(ValidBody), _ct);
        var consentId = (await ReadJsonAsync(created)).GetProperty("Data").GetProperty("ConsentId").GetString();

        using var asB = await GetAsync(SandboxFactory.ClientToken(clientId: "wallet-b", organisationId: "org-b"), consentId!);

        Assert.Equal(HttpStatusCode.Forbidden, asB.StatusCode);
    }

    [Fact]
    public async Task InteractionId_SentByTheClient_IsEchoed()
    {
        using var client = Client(SandboxFactory.ClientToken());
        client.DefaultRequestHeaders.Add("x-fapi-interaction-id", "93bac548-d2de-4546-b106-880a5018460d");

        using var response = await client.PostAsync(Path, Json(ValidBody), _ct);

        Assert.Equal("93bac548-d2de-4546-b106-880a5018460d", response.Headers.GetValues("x-fapi-interaction-id").Single());
    }

    [Fact]
    public async Task Get_OwnConsent_Returns200WithTheSameData()
    {
        var consentId = await CreateAsync(SandboxFactory.ClientToken());

        using var response = await GetAsync(SandboxFactory.ClientToken(), consentId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await ReadJsonAsync(response)).GetProperty("Data");
        Assert.Equal(consentId, data.GetProperty("ConsentId").GetString());
        Assert.Equal("AwaitingAuthorisation", data.GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Get_AnotherClientsConsent_Returns403()
    {
        var consentId = await CreateAsync(SandboxFactory.ClientToken(clientId: "wallet-a", organisationId: "org-a"));

        using var sameOrganisation = await GetAsync(SandboxFactory.ClientToken(clientId: "wallet-a2", organisationId: "org-a"), consentId);
        using var otherOrganisation = await GetAsync(SandboxFactory.ClientToken(clientId: "wallet-z", organisationId: "org-z"), consentId);

        Assert.Equal(HttpStatusCode.Forbidden, sameOrganisation.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherOrganisation.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownConsent_Returns400ResourceNotFound()
    {
        using var response = await GetAsync(SandboxFactory.ClientToken(), "aac-does-not-exist");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("Errors")[0];
        Assert.Equal("UK.OBIE.Resource.NotFound", error.GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task Delete_OwnConsent_Returns204_ThenItIsGone()
    {
        var consentId = await CreateAsync(SandboxFactory.ClientToken());
        using var client = Client(SandboxFactory.ClientToken());

        using var deleted = await client.DeleteAsync($"{Path}/{consentId}", _ct);
        using var afterwards = await client.GetAsync($"{Path}/{consentId}", _ct);
        using var again = await client.DeleteAsync($"{Path}/{consentId}", _ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterwards.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task Delete_AnotherClientsConsent_Returns403AndKeepsIt()
    {
        var consentId = await CreateAsync(SandboxFactory.ClientToken(clientId: "wallet-a"));
        using var other = Client(SandboxFactory.ClientToken(clientId: "wallet-b", organisationId: "org-b"));

        using var response = await other.DeleteAsync($"{Path}/{consentId}", _ct);
        using var stillThere = await GetAsync(SandboxFactory.ClientToken(clientId: "wallet-a"), consentId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task FirstCallOfAnOrganisation_CreatesItsTenantOnce()
    {
        var organisation = "org-" + Guid.NewGuid().ToString("N");

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CreateAsync(SandboxFactory.ClientToken(organisationId: organisation))));

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        Assert.Equal(1, await db.Tenants.CountAsync(t => t.OrganisationId == organisation, _ct));
    }

    private async Task<string> CreateAsync(string token)
    {
        using var response = await PostAsync(token, ValidBody);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("Data").GetProperty("ConsentId").GetString()!;
    }

    private async Task<HttpResponseMessage> PostAsync(string token, string body)
    {
        using var client = Client(token);
        return await client.PostAsync(Path, Json(body), _ct);
    }

    private async Task<HttpResponseMessage> GetAsync(string token, string consentId)
    {
        using var client = Client(token);
        return await client.GetAsync($"{Path}/{consentId}", _ct);
    }

    private HttpClient Client(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
        => await response.Content.ReadFromJsonAsync<JsonElement>(_ct);

    private async Task<int> CountConsentsAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SandboxDbContext>().AccountAccessConsents.CountAsync(_ct);
    }
}
