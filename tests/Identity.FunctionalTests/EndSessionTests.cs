using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>RP-initiated sign-out: without an id_token_hint only the user's own confirmation signs out (no logout CSRF).</summary>
public sealed class EndSessionTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task GetWithoutAHint_AsksInsteadOfSigningOut_AndTheConfirmationSignsOut()
    {
        var session = await SignedInPartnerAsync();

        using var response = await session.GetRawAsync("/connect/endsession?state=s1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connect/endsession/confirm", response.Headers.Location!.OriginalString);
        Assert.True(await IsSignedInAsync(session));
        var confirm = await session.FollowAsync(response);
        Assert.Equal("s1", confirm.Document.QuerySelector("input[name='state']")?.GetAttribute("value"));

        await session.SubmitAsync(confirm, "end-session-form");

        Assert.False(await IsSignedInAsync(session));
    }

    [Fact]
    public async Task CrossSitePostWithoutAHintOrAntiforgeryToken_DoesNotSignOut()
    {
        var session = await SignedInPartnerAsync();

        using var response = await session.Client.PostAsync("/connect/endsession", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = "x" }),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connect/endsession/confirm", response.Headers.Location!.OriginalString);
        Assert.True(await IsSignedInAsync(session));
    }

    [Fact]
    public async Task GetWithAForgedHint_DoesNotSignOut()
    {
        var session = await SignedInPartnerAsync();

        using var response = await session.GetRawAsync("/connect/endsession?id_token_hint=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(await IsSignedInAsync(session));
    }

    private async Task<HtmlSession> SignedInPartnerAsync()
    {
        var session = new HtmlSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        using var signIn = await session.PostFormAsync(await session.GetAsync("/account/login"), "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = DevelopmentSeed.PartnerEmail,
            ["Input.Password"] = "Partner!2345",
        });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(await IsSignedInAsync(session));
        return session;
    }

    private static async Task<bool> IsSignedInAsync(HtmlSession session)
    {
        using var account = await session.GetRawAsync("/account");
        return account.StatusCode == HttpStatusCode.OK;
    }
}
