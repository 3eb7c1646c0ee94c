using System.Net;
using OpenBanking.TestKit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Identity when the Sandbox, or its own database, fails mid-way: a call that changes something is sent once, an
/// approval that cannot be completed is withdrawn at the Sandbox, and a refresh that cannot check its consent is a
/// retryable OAuth error.
/// </summary>
public sealed class SandboxFailureTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>, IDisposable
{
    private readonly Wallet _wallet = platform.Wallet();

    [Fact]
    public async Task Approve_WhenTheSandboxFails_IsNotSentAgain()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        var authorise = $"POST /internal/consents/{consentId}/authorise";
        platform.Faults.Unavailable = request => $"{request.Method} {request.RequestUri!.AbsolutePath}" == authorise;

        var (status, _) = await _wallet.AuthoriseHeadlessAsync(requestUri);

        Assert.NotEqual(HttpStatusCode.OK, status);
        Assert.Single(platform.Faults.Calls, call => call == authorise);
    }

    [Fact]
    public async Task Approve_WhenSavingTheAuthorizationFails_RejectsTheConsentInTheSandbox()
    {
        var consentId = await _wallet.CreateConsentAsync();
        var requestUri = await _wallet.PushedRequestUriAsync(consentId, Wallet.Pkce.Create());
        platform.Faults.FailSavingAuthorizations = true;

        var (status, _) = await _wallet.AuthoriseHeadlessAsync(requestUri);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("Rejected", (await _wallet.GetConsentAsync(consentId)).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Refresh_WhileTheSandboxIsDown_IsTemporarilyUnavailable503_AndTheRefreshTokenStillWorksAfterwards()
    {
        var (consentId, tokens) = await _wallet.AuthorisedTokensAsync();
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        platform.Faults.Unavailable = request => request.RequestUri!.AbsolutePath == $"/internal/consents/{consentId}";

        var (status, body) = await _wallet.RefreshAsync(refreshToken);
        platform.Faults.Unavailable = null;
        var (laterStatus, _) = await _wallet.RefreshAsync(refreshToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(Errors.TemporarilyUnavailable, body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, laterStatus);
    }

    public void Dispose()
    {
        platform.Faults.Unavailable = null;
        platform.Faults.FailSavingAuthorizations = false;
    }
}
