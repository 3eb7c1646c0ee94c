using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Platform;

/// <summary>
/// Where the Sandbox learns a partner app's message-signing keys and requirements (Identity owns them).
/// </summary>
public interface IAppSecurityDirectory
{
    /// <summary>
    /// The app's profile; null when Identity does not know the app (then nothing is required and no key resolves).
    /// <paramref name="refresh"/> asks for a fresh copy (a signature named a kid the cached set lacks); the directory
    /// may answer from its cache when it refreshed this app very recently.
    /// Throws <see cref="AppSecurityUnavailableException"/> when it has no answer at all.
    /// </summary>
    ValueTask<AppSecurityProfile?> GetAsync(string clientId, bool refresh, CancellationToken cancellationToken);
}

/// <summary>Identity cannot be asked and nothing usable is cached: the requirements cannot be checked now.</summary>
public sealed class AppSecurityUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Configuration section <c>MessageSigning</c>.</summary>
public sealed class MessageSigningOptions
{
    public const string SectionName = "MessageSigning";

    /// <summary>The bank's <c>http://openbanking.org.uk/iss</c> in its response signatures.</summary>
    public string BankOrganisationId { get; set; } = "sandbox-bank";

    /// <summary>Trust anchors accepted in a request's <c>tan</c>; the first is named in the bank's own signatures.</summary>
    public List<string> TrustAnchors { get; set; } = [];

    /// <summary>How far in the future a request's <c>iat</c> may be (clock skew). Default 30 seconds.</summary>
    public TimeSpan IatSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an app's profile is used before it is read again. Default 60 seconds.</summary>
    public TimeSpan AppSecurityCacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a cached profile may still be used while Identity cannot be reached. Default 1 hour.</summary>
    public TimeSpan AppSecurityStaleFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most one forced refetch (unknown kid) per app in this interval. Default 10 seconds.</summary>
    public TimeSpan RefetchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Identity's base address (service discovery name by default).</summary>
    public Uri IdentityUrl { get; set; } = new($"http://{PlatformServices.Identity}/");

    /// <summary>The Sandbox's client at Identity (client credentials, scope <c>identity.clients.read</c>).</summary>
    public ServiceClientSettings ServiceClient { get; set; } = new();

    public IReadOnlyList<string> AcceptedTrustAnchors => TrustAnchors.Count > 0 ? TrustAnchors : [MessageSigning.DefaultTrustAnchor];

    public sealed class ServiceClientSettings
    {
        public string ClientId { get; set; } = "sandbox-service";

        public string ClientSecret { get; set; } = string.Empty;
    }
}

/// <summary>
/// Reads profiles from Identity's <c>GET /internal/clients/{clientId}/security</c> with a client-credentials token of
/// <c>sandbox-service</c>. Cached per app for <see cref="MessageSigningOptions.AppSecurityCacheTtl"/> so that a switch
/// in the Portal bites within a minute without a call to Identity per request; a new key is picked up at once through
/// the refetch on an unknown kid (rate-limited per app, so a caller inventing kids cannot make the bank hammer
/// Identity). While Identity is down, a cached profile serves for <see cref="MessageSigningOptions.AppSecurityStaleFor"/>.
/// </summary>
public sealed partial class IdentityAppSecurityDirectory(
    IHttpClientFactory httpClients, IOptions<MessageSigningOptions> options, TimeProvider clock, ILogger<IdentityAppSecurityDirectory> logger)
    : IAppSecurityDirectory
{
    public const string HttpClientName = "identity-security";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _token;

    public async ValueTask<AppSecurityProfile?> GetAsync(string clientId, bool refresh, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        _entries.TryGetValue(clientId, out var cached);
        if (cached is not null)
        {
            var fresh = now - cached.FetchedAt < settings.AppSecurityCacheTtl;
            var mayRefetch = now - cached.FetchedAt >= settings.RefetchInterval;
            if (fresh && (!refresh || !mayRefetch))
            {
                return cached.Profile;
            }
        }

        try
        {
            var profile = await FetchAsync(clientId, cancellationToken);
            _entries[clientId] = new Entry(profile, clock.GetUtcNow());
            return profile;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or AppSecurityUnavailableException
                                          && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, exception, clientId);
            if (cached is not null && now - cached.FetchedAt < settings.AppSecurityStaleFor)
            {
                return cached.Profile;
            }

            throw exception as AppSecurityUnavailableException
                ?? new AppSecurityUnavailableException("Identity cannot be reached for the app's message-signing settings.", exception);
        }
    }

    private async Task<AppSecurityProfile?> FetchAsync(string clientId, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Value.IdentityUrl, $"internal/clients/{Uri.EscapeDataString(clientId)}/security"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(http, cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // The cached token may have been issued under keys Identity has since rotated: ask for a new one next time.
                _token = null;
            }

            throw new AppSecurityUnavailableException($"Identity answered {(int)response.StatusCode} for the app's security profile.");
        }

        return await response.Content.ReadFromJsonAsync<AppSecurityProfile>(cancellationToken);
    }

    private async Task<string> TokenAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (_token is { } cached && cached.RenewAt > clock.GetUtcNow())
        {
            return cached.Token;
        }

        await _tokenGate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } again && again.RenewAt > clock.GetUtcNow())
            {
                return again.Token;
            }

            var client = options.Value.ServiceClient;
            if (string.IsNullOrEmpty(client.ClientSecret))
            {
                throw new AppSecurityUnavailableException($"{MessageSigningOptions.SectionName}:ServiceClient:ClientSecret is not configured.");
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.IdentityUrl, "connect/token"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["scope"] = PlatformScopes.IdentityClientsRead,
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
                $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret)}")));
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new AppSecurityUnavailableException($"Identity refused the Sandbox's service token ({(int)response.StatusCode}).");
            }

            var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new AppSecurityUnavailableException("Identity answered the token request with an empty body.");
            var lifetime = TimeSpan.FromSeconds(Math.Max(body.ExpiresIn, 60));
            _token = (body.AccessToken, clock.GetUtcNow() + lifetime - TimeSpan.FromSeconds(Math.Min(60, lifetime.TotalSeconds / 2)));
            return body.AccessToken;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    private sealed record Entry(AppSecurityProfile? Profile, DateTimeOffset FetchedAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The security profile of app {ClientId} could not be read from Identity")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string clientId);
}
