using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>The developer portal as a first-party client: its users' own session, no consent, admins only with 2FA.</summary>
public sealed class PortalSignInTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string RedirectUri = "http://localhost:5000/signin-oidc";

    [Fact]
    public async Task Partner_SignsIn_AndThePortalGetsAnIdentityTokenWithNameEmailAndRole()
    {
        var pkce = Wallet.Pkce.Create();
        var requestUri = await PushAsync("openid profile email roles", pkce);
        var session = NewSession();

        using var first = await session.GetRawAsync(Authorize(requestUri));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/account/login?returnUrl=", first.Headers.Location!.OriginalString);
        using var signedIn = await SignInAsync(session, "dev@demo-wallet.example", "Partner!2345", first.Headers.Location.OriginalString);
        using var back = await session.GetRawAsync(Authorize(requestUri));

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Headers.Location!.Query);
        Assert.StartsWith(RedirectUri, back.Headers.Location.AbsoluteUri);
        using var client = PortalClient();
        var tokens = await PostAsync(client, "/connect/token", new()
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"].ToString(), ["redirect_uri"] = RedirectUri, ["code_verifier"] = pkce.Verifier,
        });
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        Assert.Equal("Demo Wallet Developer", idToken.GetClaim("name").Value);
        Assert.Equal("dev@demo-wallet.example", idToken.GetClaim("email").Value);
        Assert.Equal("Partner", idToken.GetClaim("role").Value);
    }

    [Fact]
    public async Task AdminWithoutTwoFactor_IsSentToEnrolment_NotBackToThePortal()
    {
        var requestUri = await PushAsync("openid profile", Wallet.Pkce.Create());
        var session = NewSession();
        using var first = await session.GetRawAsync(Authorize(requestUri));
        using var signedIn = await SignInAsync(session, "admin@sandbox.bank", "Admin!2345", first.Headers.Location!.OriginalString);

        using var back = await session.GetRawAsync(Authorize(requestUri));

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.StartsWith("/account/manage/twofactor", back.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Portal_CannotAskForOpenBankingScopes()
    {
        using var client = PortalClient();

        using var response = await client.PostAsync("/connect/par", new FormUrlEncodedContent(ParForm("openid accounts", Wallet.Pkce.Create())), TestContext.Current.CancellationToken);

        // OpenIddict answers a registered scope the client is not permitted with invalid_request.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("request_uri", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static string Authorize(string requestUri) => $"/connect/authorize?client_id=portal&request_uri={Uri.EscapeDataString(requestUri)}";

    private HtmlSession NewSession() => new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private HttpClient PortalClient()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = Wallet.Basic("portal", "portal-dev-secret");
        return client;
    }

    private static Dictionary<string, string> ParForm(string scope, Wallet.Pkce pkce) => new()
    {
        ["response_type"] = "code", ["client_id"] = "portal", ["redirect_uri"] = RedirectUri, ["scope"] = scope, ["state"] = "s",
        ["nonce"] = "n", ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256",
    };

    private async Task<string> PushAsync(string scope, Wallet.Pkce pkce)
    {
        using var client = PortalClient();
        return (await PostAsync(client, "/connect/par", ParForm(scope, pkce))).GetProperty("request_uri").GetString()!;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, Dictionary<string, string> form)
    {
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> SignInAsync(HtmlSession session, string email, string password, string loginUrl)
        => await session.PostFormAsync(await session.GetAsync(loginUrl), "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
}
