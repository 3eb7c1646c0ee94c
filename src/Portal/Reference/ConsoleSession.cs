namespace OpenBanking.Portal.Reference;

/// <summary>
/// What the try-it console remembers for one circuit (one browser tab): the app's credentials as pasted, and the
/// tokens it obtained. Scoped, in memory only — the Portal never stores or logs a partner's secret.
/// </summary>
public sealed class ConsoleSession(TimeProvider clock)
{
    private readonly Dictionary<string, (string Token, DateTimeOffset Expires)> _clientTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _customerTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _consents = new(StringComparer.Ordinal);
    private string _clientId = string.Empty;
    private string _clientSecret = string.Empty;

    /// <summary>Raised when credentials or tokens change, so every panel of the page shows the same state.</summary>
    public event Action? Changed;

    public string ClientId
    {
        get => _clientId;
        set
        {
            if (value != _clientId)
            {
                _clientId = value ?? string.Empty;
                Forget();
            }
        }
    }

    public string ClientSecret
    {
        get => _clientSecret;
        set
        {
            if (value != _clientSecret)
            {
                _clientSecret = value ?? string.Empty;
                _clientTokens.Clear();
                Changed?.Invoke();
            }
        }
    }

    /// <summary>Why the credentials cannot be used yet, or null when they can.</summary>
    public string? CredentialsProblem => string.IsNullOrWhiteSpace(ClientId)
        ? "Enter your app's client id."
        : string.IsNullOrEmpty(ClientSecret) ? "Enter your app's client secret." : null;

    public ApiCredentials Credentials => new(ClientId.Trim(), ClientSecret);

    public string? ClientToken(string scope)
        => _clientTokens.TryGetValue(scope, out var token) && token.Expires > clock.GetUtcNow() ? token.Token : null;

    public void RememberClientToken(string scope, string token, int? expiresInSeconds)
        // Renewed a little early so that a token never expires between the check and the call.
        => _clientTokens[scope] = (token, clock.GetUtcNow().AddSeconds(Math.Max(0, (expiresInSeconds ?? 300) - 30)));

    /// <summary>The customer's access token from the last completed consent flow for the API.</summary>
    public string? CustomerToken(string api) => _customerTokens.GetValueOrDefault(api);

    public void RememberCustomerToken(string api, string token)
    {
        _customerTokens[api] = token;
        Changed?.Invoke();
    }

    /// <summary>The id of the consent the flow created last for the API, to prefill <c>{ConsentId}</c>.</summary>
    public string? ConsentId(string api) => _consents.GetValueOrDefault(api);

    public void RememberConsent(string api, string consentId)
    {
        _consents[api] = consentId;
        _customerTokens.Remove(api);
        Changed?.Invoke();
    }

    private void Forget()
    {
        _clientTokens.Clear();
        _customerTokens.Clear();
        _consents.Clear();
        Changed?.Invoke();
    }
}
