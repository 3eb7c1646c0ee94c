using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// Client-credentials tokens of the Portal for one internal scope each (each scope has its own audience), cached until a
/// minute before they expire. Concurrent callers for the same scope share one request.
/// </summary>
public sealed class ServiceTokenProvider(IHttpClientFactory httpClients, IOptions<ServiceClientOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "service-tokens";

    private readonly ConcurrentDictionary<string, Lazy<Task<CachedToken>>> _tokens = new(StringComparer.Ordinal);

    public async Task<string> GetTokenAsync(string scope, CancellationToken ct)
    {
        while (true)
        {
            var entry = _tokens.GetOrAdd(scope, s => new Lazy<Task<CachedToken>>(() => RequestAsync(s)));
            CachedToken token;
            try
            {
                token = await entry.Value.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<CachedToken>>>(scope, entry));
                throw;
            }

            if (token.RefreshAt > clock.GetUtcNow())
            {
                return token.AccessToken;
            }

            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<CachedToken>>>(scope, entry));
        }
    }

    private async Task<CachedToken> RequestAsync(string scope)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ClientSecret))
        {
            throw new InvalidOperationException($"{ServiceClientOptions.SectionName}:ClientSecret is not configured.");
        }

        using var http = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(
            $"{Uri.EscapeDataString(settings.ClientId)}:{Uri.EscapeDataString(settings.ClientSecret)}")));
        using var response = await http.SendAsync(request, CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Identity refused the Portal's service token for '{scope}' ({(int)response.StatusCode}).", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(CancellationToken.None)
            ?? throw new HttpRequestException("Identity answered the token request with an empty body.");
        var lifetime = TimeSpan.FromSeconds(Math.Max(body.ExpiresIn, 60));
        return new CachedToken(body.AccessToken, clock.GetUtcNow() + lifetime - TimeSpan.FromSeconds(Math.Min(60, lifetime.TotalSeconds / 2)));
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RefreshAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
