using System.Collections.Concurrent;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// An authorisation the try-it console started for a customer to approve in the browser: what the callback catcher
/// needs to finish it (the app's credentials, the PKCE verifier, the redirect URI) kept on the Portal's server, never
/// sent to the browser. Keyed by the <c>state</c> the console sent.
/// </summary>
public sealed record BrowserAuthorisation(
    string State,
    string Subject,
    string ApiKey,
    ApiCredentials Credentials,
    string RedirectUri,
    string ConsentId,
    PkcePair Pkce,
    DateTimeOffset Expires)
{
    /// <summary>The token exchange, once the catcher made it.</summary>
    public HttpExchange? Exchange { get; init; }

    /// <summary>The customer's access token from <see cref="Exchange"/>.</summary>
    public string? AccessToken { get; init; }

    /// <summary>The version whose reference page started it, to send the partner back to that page.</summary>
    public ObieVersion Version { get; init; } = ObieVersion.Default;
}

/// <summary>
/// The browser authorisations in flight, for all circuits: the try-it tab that started one and the catcher tab the
/// bank redirects to are different circuits (often different tabs), so the hand-over cannot live in the scoped
/// <see cref="ConsoleSession"/>. In memory, for 15 minutes, and only ever handed to the person who started it.
/// </summary>
public sealed class BrowserAuthorisations(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private const int MaxPerPerson = 20;

    private readonly ConcurrentDictionary<string, BrowserAuthorisation> _pending = new(StringComparer.Ordinal);

    /// <summary>Raised with the state when an authorisation completes, so the tab that started it takes the token.</summary>
    public event Action<string>? Completed;

    public BrowserAuthorisation Start(
        string subject, string apiKey, ApiCredentials credentials, string redirectUri, string consentId, PkcePair pkce, ObieVersion? version = null)
    {
        Sweep();
        // A person who starts many flows keeps only their latest few: the store cannot grow without bound.
        foreach (var old in _pending.Values.Where(p => p.Subject == subject).OrderByDescending(p => p.Expires).Skip(MaxPerPerson - 1))
        {
            _pending.TryRemove(old.State, out _);
        }

        var authorisation = new BrowserAuthorisation(
            Guid.NewGuid().ToString("N"), subject, apiKey, credentials, redirectUri, consentId, pkce, clock.GetUtcNow() + Lifetime)
        {
            Version = version ?? ObieVersion.Default,
        };
        _pending[authorisation.State] = authorisation;
        return authorisation;
    }

    /// <summary>The authorisation this person started with this state, or null (unknown, expired or someone else's).</summary>
    public BrowserAuthorisation? Find(string? subject, string? state)
    {
        if (subject is null || string.IsNullOrEmpty(state) || !_pending.TryGetValue(state, out var found))
        {
            return null;
        }

        if (found.Expires <= clock.GetUtcNow())
        {
            _pending.TryRemove(state, out _);
            return null;
        }

        return found.Subject == subject ? found : null;
    }

    public void Complete(BrowserAuthorisation authorisation, HttpExchange exchange, string? accessToken)
    {
        _pending[authorisation.State] = authorisation with { Exchange = exchange, AccessToken = accessToken };
        Completed?.Invoke(authorisation.State);
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var expired in _pending.Values.Where(p => p.Expires <= now))
        {
            _pending.TryRemove(expired.State, out _);
        }
    }
}
