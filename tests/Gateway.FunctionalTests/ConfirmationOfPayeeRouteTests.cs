extern alias sandbox;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using SandboxDbContext = sandbox::OpenBanking.Sandbox.Infrastructure.SandboxDbContext;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// <c>POST /confirmation-of-payee/v1/accounts/name-verify</c> through the real gateway, Identity's real tokens and the
/// real Sandbox: a client-credentials token with the payments scope (policy <c>payments:client</c>), the partner's own
/// sandbox bank answering, never another partner's.
/// </summary>
public sealed class ConfirmationOfPayeeRouteTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private const string Path = "/confirmation-of-payee/v1/accounts/name-verify";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task WithoutAToken_Is401_WithoutThePaymentsScope_Is403_WithIt_TheBankAnswers()
    {
        using (var anonymous = await SendAsync(null, Request("30963412345678", "John Smith")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var accounts = await SendAsync(await _wallet.ClientTokenAsync("accounts"), Request("30963412345678", "John Smith")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, accounts.StatusCode);
        }

        using var payments = await SendAsync(await _wallet.ClientTokenAsync("payments"), Request("30963412345678", "Jon Smyth"));
        Assert.Equal(HttpStatusCode.OK, payments.StatusCode);
        var report = (await payments.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("VerificationReport");
        Assert.False(report.GetProperty("Matched").GetBoolean());
        Assert.Equal("MBAM", report.GetProperty("ReasonCode").GetString());
        Assert.Equal("John Smith", report.GetProperty("Name").GetString());

        // Logged for the partner like a bank call, under its own endpoint.
        await platform.Gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        using var portal = platform.Gateway.CreateClient();
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await platform.Wallet("portal-service", "portal-service-dev-secret").ClientTokenAsync(PlatformScopes.GatewayCalls));
        var page = await portal.GetFromJsonAsync<JsonElement>($"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&path={Path}&status=200", _ct);
        Assert.Contains(page.GetProperty("items").EnumerateArray(), call => call.GetProperty("routeTemplate").GetString() == Path);
    }

    [Fact]
    public async Task ACustomerToken_IsRefused()
    {
        var (_, tokens) = await _wallet.AuthorisedTokensAsync();
        using var response = await SendAsync(tokens.GetProperty("access_token").GetString(), Request("30963412345678", "John Smith"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task BadInput_Is400_WithTheFieldErrors_FromTheBank()
    {
        using var response = await SendAsync(await _wallet.ClientTokenAsync("payments"), new { Data = new { SchemeName = "SortCodeAccountNumber", AccountType = "Personal", Identification = "123", Name = "" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Data.Identification", out _));
        Assert.True(errors.TryGetProperty("Data.Name", out _));
    }

    [Fact]
    public async Task APartnersOwnCustomer_IsConfirmedForThatPartner_AndUnknownToAnother()
    {
        var token = await _wallet.ClientTokenAsync("payments");
        // The first call creates the partner's sandbox bank if it does not exist yet.
        using (await SendAsync(token, Request("30963412345678", "John Smith")))
        {
        }

        var erin = await IdentificationAsync(DevelopmentSeed.DemoOrganisationId, "erin");
        using (var own = await SendAsync(token, Request(erin, "Hughes Design Studio Ltd", "Business")))
        {
            Assert.True((await own.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("VerificationReport").GetProperty("Matched").GetBoolean());
        }

        var other = await RegisterAppAsync("org-cop-" + Guid.NewGuid().ToString("N")[..8]);
        using var theirs = await SendAsync(await other.ClientTokenAsync("payments"), Request(erin, "Hughes Design Studio Ltd", "Business"));
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        var report = (await theirs.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("Data").GetProperty("VerificationReport");
        Assert.Equal("AC01", report.GetProperty("ReasonCode").GetString());
        Assert.False(report.TryGetProperty("Name", out _));
    }

    private static object Request(string identification, string name, string type = "Personal")
        => new { Data = new { SchemeName = "SortCodeAccountNumber", AccountType = type, Identification = identification, Name = name } };

    private async Task<HttpResponseMessage> SendAsync(string? token, object body)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, _ct);
    }

    private async Task<string> IdentificationAsync(string organisationId, string username)
    {
        await using var scope = platform.Sandbox.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        return await (from account in db.Accounts
                      join customer in db.Customers on account.CustomerId equals customer.Id
                      join tenant in db.Tenants on account.TenantId equals tenant.Id
                      where tenant.OrganisationId == organisationId && customer.Username == username && account.SchemeName == "UK.OBIE.SortCodeAccountNumber"
                      select account.Identification).FirstAsync(_ct);
    }

    private async Task<Wallet> RegisterAppAsync(string organisationId)
    {
        var portalIdentity = platform.Wallet("portal-service", "portal-service-dev-secret");
        using var identity = platform.Identity.CreateClient();
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await portalIdentity.ClientTokenAsync(PlatformScopes.IdentityClients));
        using var created = await identity.PostAsJsonAsync("/internal/clients", new
        {
            name = "Other Wallet",
            organisationId,
            organisationName = "Other Wallet Ltd",
            redirectUris = new[] { "https://other.example/callback" },
            scopes = new[] { "payments" },
            authMethod = "client_secret_basic",
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = await created.Content.ReadFromJsonAsync<JsonElement>(_ct);
        return platform.Wallet(app.GetProperty("clientId").GetString()!, app.GetProperty("clientSecret").GetString()!);
    }
}
