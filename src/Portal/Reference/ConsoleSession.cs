using System.Security.Cryptography;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// What the try-it console remembers for one circuit (one browser tab): the app's credentials as pasted, and the
/// tokens it obtained. Scoped, in memory only — the Portal never stores or logs a partner's secret. Also the console's
/// own message-signing key (RSA) and DPoP key (P-256): made for this circuit when first needed, held only here, never
/// stored or logged, disposed with the circuit.
/// </summary>
public sealed class ConsoleSession(TimeProvider clock) : IDisposable
{
    private readonly HashSet<string> _dpopBoundTokens = new(StringComparer.Ordinal);
    private RSA? _signingKey;
    private string? _signingKid;
    private ECDsa? _dpopKey;
    private bool _signRequests;
    private bool _useDpop;

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

    /// <summary>The app's organisation id, when the Portal knows the app: with the client id, the signer (<c>iss</c>) of its signatures.</summary>
    public string? OrganisationId { get; private set; }

    /// <summary>Whether the app's settings were read (it is an app of the signed-in person's organisation).</summary>
    public bool AppKnown { get; private set; }

    public bool AppRequiresSignedRequests { get; private set; }

    public bool AppRequiresDpop { get; private set; }

    /// <summary>Whether the console's key is among the app's message-signing keys.</summary>
    public bool ConsoleKeyRegistered { get; private set; }

    /// <summary>Sign POST/PUT/PATCH bodies to payment, VRP and event-subscription endpoints (x-jws-signature).</summary>
    public bool SignRequests
    {
        get => _signRequests;
        set
        {
            if (value != _signRequests)
            {
                _signRequests = value;
                Changed?.Invoke();
            }
        }
    }

    /// <summary>Ask for DPoP-bound tokens (a proof at the token endpoint); calls with such tokens carry proofs.</summary>
    public bool UseDpop
    {
        get => _useDpop;
        set
        {
            if (value != _useDpop)
            {
                _useDpop = value;
                // The next call fetches a token of the new kind.
                _clientTokens.Clear();
                Changed?.Invoke();
            }
        }
    }

    /// <summary>Signing needs the signer's identity: the app's organisation must be known.</summary>
    public bool Signs => SignRequests && OrganisationId is not null;

    /// <summary>The console's message-signing key, made on first use (RSA 2048, PS256).</summary>
    public RSA SigningKey
    {
        get
        {
            if (_signingKey is null)
            {
                _signingKey = RSA.Create(2048);
                _signingKid = "console-" + clock.GetUtcNow().ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
            }

            return _signingKey;
        }
    }

    /// <summary>The console key's <c>kid</c>: <c>console-yyyyMMddHHmm</c>, the minute it was made.</summary>
    public string SigningKid
    {
        get
        {
            _ = SigningKey;
            return _signingKid!;
        }
    }

    /// <summary>The public half of the console's signing key, as the app's key set holds it.</summary>
    public string SigningPublicJwks => ObSigning.PublicJwks(SigningKey, SigningKid);

    /// <summary>The console's DPoP key (ES256), made on first use.</summary>
    public ECDsa DpopKey => _dpopKey ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The app's settings as Identity holds them: the console follows them (the person may still switch either).</summary>
    public void UseAppSettings(string clientId, string organisationId, bool requireSignedRequests, bool requireDpop, IEnumerable<string> kids)
    {
        if (!string.Equals(clientId, ClientId.Trim(), StringComparison.Ordinal))
        {
            return;
        }

        AppKnown = true;
        OrganisationId = organisationId;
        AppRequiresSignedRequests = requireSignedRequests;
        AppRequiresDpop = requireDpop;
        _signRequests = requireSignedRequests;
        if (_useDpop != requireDpop)
        {
            _useDpop = requireDpop;
            _clientTokens.Clear();
        }

        ConsoleKeyRegistered = _signingKid is not null && kids.Contains(_signingKid, StringComparer.Ordinal);
        Changed?.Invoke();
    }

    public void MarkConsoleKeyRegistered(bool registered)
    {
        ConsoleKeyRegistered = registered;
        Changed?.Invoke();
    }

    /// <summary>Whether Identity issued this access token bound to the console's DPoP key (token_type DPoP).</summary>
    public bool IsDpopBound(string accessToken) => _dpopBoundTokens.Contains(accessToken);

    public void RememberDpopBound(string accessToken) => _dpopBoundTokens.Add(accessToken);

    public void Dispose()
    {
        _signingKey?.Dispose();
        _dpopKey?.Dispose();
    }

    private void Forget()
    {
        _dpopBoundTokens.Clear();
        AppKnown = false;
        OrganisationId = null;
        AppRequiresSignedRequests = false;
        AppRequiresDpop = false;
        ConsoleKeyRegistered = false;
        _signRequests = false;
        _useDpop = false;
        _clientTokens.Clear();
        _customerTokens.Clear();
        _consents.Clear();
        Changed?.Invoke();
    }
}
