using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Platform;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.MessageSigning;

/// <summary>
/// The Sandbox's cache of apps' security profiles in front of Identity: one token for many reads, 60 s of caching, at
/// most one forced refetch per 10 s per app, a stale copy while Identity is down, and no answer (never a guess) when
/// there is none. Identity is played by an HTTP handler here; the real endpoint is exercised through the gateway tests.
/// </summary>
public sealed class AppSecurityDirectoryTests
{
    private readonly FakeIdentity _identity = new();
    private readonly ManualClock _clock = new();
    private readonly IdentityAppSecurityDirectory _directory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public AppSecurityDirectoryTests()
    {
        var options = Options.Create(new MessageSigningOptions { ServiceClient = { ClientSecret = "secret" } });
        _directory = new IdentityAppSecurityDirectory(new Factory(_identity), options, _clock, NullLogger<IdentityAppSecurityDirectory>.Instance);
    }

    [Fact]
    public async Task Profiles_AreCachedFor60Seconds_WithOneServiceToken()
    {
        _identity.Profile = Profile(requireSigned: true);

        var first = await _directory.GetAsync("app-1", refresh: false, Ct);
        _clock.Advance(TimeSpan.FromSeconds(59));
        await _directory.GetAsync("app-1", refresh: false, Ct);
        _clock.Advance(TimeSpan.FromSeconds(2));
        _identity.Profile = Profile(requireSigned: false);
        var later = await _directory.GetAsync("app-1", refresh: false, Ct);

        Assert.True(first!.RequireSignedRequests);
        Assert.False(later!.RequireSignedRequests);
        Assert.Equal(2, _identity.ProfileReads);
        Assert.Equal(1, _identity.TokenRequests);
        Assert.Equal("Bearer token-1", _identity.LastAuthorization);
        Assert.Equal("/internal/clients/app-1/security", _identity.LastPath);
    }

    [Fact]
    public async Task ForcedRefetch_IsAllowedOncePer10SecondsPerApp()
    {
        _identity.Profile = Profile(requireSigned: true);
        await _directory.GetAsync("app-1", refresh: false, Ct);

        await _directory.GetAsync("app-1", refresh: true, Ct);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await _directory.GetAsync("app-1", refresh: true, Ct);
        await _directory.GetAsync("app-1", refresh: true, Ct);

        Assert.Equal(2, _identity.ProfileReads);
    }

    [Fact]
    public async Task UnknownApp_IsNull_RequiringNothing()
    {
        _identity.Profile = null;

        Assert.Null(await _directory.GetAsync("app-unknown", refresh: false, Ct));
    }

    [Fact]
    public async Task IdentityDown_ServesTheStaleCopy_ButWithNothingCachedTheAnswerIsUnavailable()
    {
        _identity.Profile = Profile(requireSigned: true);
        await _directory.GetAsync("app-1", refresh: false, Ct);
        _identity.Down = true;
        _clock.Advance(TimeSpan.FromMinutes(30));

        var stale = await _directory.GetAsync("app-1", refresh: false, Ct);
        await Assert.ThrowsAsync<AppSecurityUnavailableException>(async () => await _directory.GetAsync("app-2", refresh: false, Ct));
        _clock.Advance(TimeSpan.FromMinutes(31));
        await Assert.ThrowsAsync<AppSecurityUnavailableException>(async () => await _directory.GetAsync("app-1", refresh: false, Ct));

        Assert.True(stale!.RequireSignedRequests);
    }

    private static AppSecurityProfile Profile(bool requireSigned) => new("app-1", "org-1", requireSigned, false, null, null);

    private sealed class FakeIdentity : HttpMessageHandler
    {
        public AppSecurityProfile? Profile { get; set; }

        public bool Down { get; set; }

        public int ProfileReads { get; private set; }

        public int TokenRequests { get; private set; }

        public string? LastAuthorization { get; private set; }

        public string? LastPath { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Down)
            {
                throw new HttpRequestException("Connection refused (test).");
            }

            if (request.RequestUri!.AbsolutePath == "/connect/token")
            {
                TokenRequests++;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = JsonContent.Create(new Dictionary<string, object> { ["access_token"] = $"token-{TokenRequests}", ["expires_in"] = 300 }),
                });
            }

            ProfileReads++;
            LastAuthorization = request.Headers.Authorization?.ToString();
            LastPath = request.RequestUri.AbsolutePath;
            return Task.FromResult(Profile is null
                ? new HttpResponseMessage(HttpStatusCode.NotFound)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(Profile) });
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
