using Microsoft.AspNetCore.Components;
using OpenBanking.Portal.Reference;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Components.Pages.Reference;

public partial class ConsentFlow
{
    private readonly CancellationTokenSource _cts = new();
    private HttpExchange? _token;
    private HttpExchange? _consent;
    private HttpExchange? _par;
    private HttpExchange? _authorize;
    private HttpExchange? _exchange;
    private PkcePair? _pkce;
    private string? _consentBody;
    private string? _consentId;
    private string? _code;
    private string _redirectUri = string.Empty;
    private string? _subject;
    private bool _inBrowser = true;
    private string? _browserState;
    private string? _browserRedirectUri;
    private string? _authorizationUrl;
    private bool _browserDone;
    private bool _resumed;
    private string _username = ConsoleDefaults.Username;
    private string _password = ConsoleDefaults.Password;
    private string _otp = ConsoleDefaults.Otp;
    private bool _approve = true;
    private string? _callOperationId;
    private string? _problem;
    private bool _running;

    [Parameter, EditorRequired]
    public ApiInfo Api { get; set; } = null!;

    [Parameter, EditorRequired]
    public ApiDefinition Definition { get; set; } = null!;

    /// <summary>The state of a browser authorisation the callback catcher finished, when the partner comes back from it.</summary>
    [Parameter]
    public string? Resume { get; set; }

    private string CatcherUrl => CallbackCatcher.UrlFor(Navigation.BaseUri);

    private ObieVersion Version => Definition.ObieVersion;

    // Consents and customer tokens are kept per version: a v4.0 flow never prefills a v3.1.11 consent, nor the reverse.
    private string ConsoleKey => Version.ConsoleKey(Api);

    private string ConsentPath => Api.ConsentPathIn(Version);

    protected override async Task OnInitializedAsync()
    {
        _consentBody = ConsoleDefaults.ConsentBody(Api, Version);
        _consentId = Session.ConsentId(ConsoleKey);
        _callOperationId = ConsoleDefaults.FirstCallOperationId(Api);
        _redirectUri = CatcherUrl;
        Session.Changed += OnSessionChanged;
        Authorisations.Completed += OnAuthorisationCompleted;

        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _subject = user.Identity?.IsAuthenticated == true ? user.FindFirst("sub")?.Value : null;
        if (Authorisations.Find(_subject, Resume) is { AccessToken: { } token } resumed && resumed.ApiKey == Api.Key && resumed.Version == Version)
        {
            // This tab is new (the bank's pages replaced the one that started): the console takes up where it was left.
            Session.ClientId = resumed.Credentials.ClientId;
            Session.ClientSecret = resumed.Credentials.ClientSecret;
            Session.RememberConsent(ConsoleKey, resumed.ConsentId);
            Session.RememberCustomerToken(ConsoleKey, token);
            _consentId = resumed.ConsentId;
            _redirectUri = resumed.RedirectUri;
            _browserState = resumed.State;
            _exchange = resumed.Exchange;
            _browserDone = _resumed = true;
        }
    }

    private CancellationToken Ct => _cts.Token;

    private async Task<bool> RunAsync(Func<Task> step, Func<string?>? validate = null)
    {
        _problem = Session.CredentialsProblem ?? validate?.Invoke();
        if (_problem is not null || _running)
        {
            return false;
        }

        _running = true;
        try
        {
            await step();
            return true;
        }
        finally
        {
            _running = false;
        }
    }

    private Task GetTokenAsync() => RunAsync(async () => await FetchTokenAsync());

    private async Task<string?> FetchTokenAsync()
    {
        _token = await Console.ClientCredentialsTokenAsync(Session.Credentials, Api.Scope, Ct);
        var token = _token.Value("access_token");
        if (token is not null)
        {
            Session.RememberClientToken(Api.Scope, token, int.TryParse(_token.Value("expires_in"), out var seconds) ? seconds : null);
        }

        return token;
    }

    private Task CreateConsentAsync() => RunAsync(async () =>
    {
        _consent = null;
        var token = Session.ClientToken(Api.Scope) ?? await FetchTokenAsync();
        if (token is null)
        {
            return;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // Every payment API's POST carries an idempotency key (PIS and VRP alike).
        if (Api.Scope == PlatformScopes.Payments)
        {
            headers["x-idempotency-key"] = Guid.NewGuid().ToString("N");
        }

        _consent = await Console.CallGatewayAsync("POST", ConsentPath, token, _consentBody, headers, Ct);
        if (_consent.IsSuccess && _consent.Value("Data", "ConsentId") is { } consentId)
        {
            _consentId = consentId;
            _code = null;
            Session.RememberConsent(ConsoleKey, consentId);
        }
    }, () => IsJson(_consentBody) ? null : "The consent request body is not valid JSON.");

    private Task AuthoriseAsync() => RunAsync(async () =>
    {
        _par = _authorize = null;
        _pkce = PkcePair.Create();
        var state = Guid.NewGuid().ToString("N");
        _par = await Console.PushAuthorizationRequestAsync(
            Session.Credentials, _redirectUri.Trim(), $"openid {Api.Scope}", _consentId!.Trim(), state, Guid.NewGuid().ToString("N"), _pkce, Ct);
        if (_par.Value("request_uri") is not { } requestUri)
        {
            return;
        }

        _authorize = await Console.SandboxAuthorizeAsync(Session.Credentials, requestUri, _username.Trim(), _password, _otp.Trim(), _approve, Ct);
        var redirect = ApiConsole.RedirectParameters(_authorize.Value("redirect_uri"));
        if (redirect.TryGetValue("code", out var code))
        {
            _code = code;
        }
        else if (redirect.TryGetValue("error", out var error))
        {
            _problem = $"The customer's authorisation ended with {error}" + (redirect.TryGetValue("error_description", out var description) ? $": {description}" : ".");
        }
    }, () => string.IsNullOrWhiteSpace(_consentId) ? "Create a consent first (step 2), or enter a consent id."
        : string.IsNullOrWhiteSpace(_redirectUri) ? "Enter one of your app's registered redirect URIs." : null);

    private Task StartBrowserAsync() => RunAsync(async () =>
    {
        _par = _authorize = null;
        _authorizationUrl = null;
        _browserDone = false;
        var redirectUri = _redirectUri.Trim();
        var pending = Authorisations.Start(_subject ?? string.Empty, Api.Key, Session.Credentials, redirectUri, _consentId!.Trim(), PkcePair.Create(), Version);
        // Kept here too, so that step 4 works by hand when the redirect URI is the partner's own rather than the catcher.
        _pkce = pending.Pkce;
        _browserState = pending.State;
        _browserRedirectUri = redirectUri;
        _par = await Console.PushAuthorizationRequestAsync(
            Session.Credentials, redirectUri, $"openid {Api.Scope}", pending.ConsentId, pending.State, Guid.NewGuid().ToString("N"), pending.Pkce, Ct);
        if (_par.Value("request_uri") is { } requestUri)
        {
            _authorizationUrl = new Uri(Platform.Value.IdentityUrl,
                $"connect/authorize?client_id={Uri.EscapeDataString(pending.Credentials.ClientId)}&request_uri={Uri.EscapeDataString(requestUri)}").ToString();
        }
        else if (IsCatcher(redirectUri) && _par.Value("error_description") is { } refusal && refusal.Contains("redirect_uri", StringComparison.Ordinal))
        {
            _problem = $"The bank refused the redirect URI: add {CatcherUrl} to your app's redirect URIs on its page (Apps), then start again.";
        }
    }, () => _subject is null ? "Sign in again: the Portal could not tell who you are."
        : string.IsNullOrWhiteSpace(_consentId) ? "Create a consent first (step 2), or enter a consent id."
        : string.IsNullOrWhiteSpace(_redirectUri) ? "Enter one of your app's registered redirect URIs." : null);

    private bool IsCatcher(string? redirectUri) => string.Equals(redirectUri?.Trim(), CatcherUrl, StringComparison.Ordinal);

    private void OnAuthorisationCompleted(string state)
    {
        if (state != _browserState)
        {
            return;
        }

        // Raised on the catcher's circuit: this circuit's state is changed on its own dispatcher.
        _ = InvokeAsync(() =>
        {
            if (Authorisations.Find(_subject, state) is { AccessToken: { } token } done)
            {
                _exchange = done.Exchange;
                _code = null;
                _browserDone = true;
                Session.RememberCustomerToken(ConsoleKey, token);
                StateHasChanged();
            }
        });
    }

    private Task ExchangeCodeAsync() => RunAsync(async () =>
    {
        _exchange = await Console.ExchangeCodeAsync(Session.Credentials, _code!.Trim(), _redirectUri.Trim(), _pkce!.Verifier, Ct);
        if (_exchange.Value("access_token") is { } token)
        {
            Session.RememberCustomerToken(ConsoleKey, token);
        }
    }, () => string.IsNullOrWhiteSpace(_code) || _pkce is null ? "Authorise first (step 3): the code and its PKCE verifier come from there." : null);

    private static bool IsJson(string? text)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(text ?? string.Empty);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private void OnSessionChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Session.Changed -= OnSessionChanged;
        Authorisations.Completed -= OnAuthorisationCompleted;
        _cts.Cancel();
        _cts.Dispose();
    }
}
