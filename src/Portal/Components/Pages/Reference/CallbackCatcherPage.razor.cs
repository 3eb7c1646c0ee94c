using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using OpenBanking.Portal.Extensions;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.Components.Pages.Reference;

/// <summary>
/// <c>/callback</c>: shows an authorization response (code, state, iss or error) and explains each part; when the
/// try-it console started the authorisation for the signed-in person, exchanges the code server-side and hands the
/// token back to the console.
/// </summary>
public partial class CallbackCatcherPage
{
    private readonly CancellationTokenSource _cts = new();
    private BrowserAuthorisation? _pending;
    private HttpExchange? _exchange;
    private string? _subject;
    private bool _signedIn;
    private bool _received;
    private bool _running;

    public enum StateResult
    {
        Matches,
        Missing,
        Unknown,
    }

    [Inject]
    private BrowserAuthorisations Authorisations { get; set; } = null!;

    [Inject]
    private ApiConsole Console { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = null!;

    [Inject]
    private IOptions<PlatformOptions> Platform { get; set; } = null!;

    [Inject]
    private IOptionsMonitor<OpenIdConnectOptions> SignInOptions { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private IJSRuntime JS { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "code")]
    public string? Code { get; set; }

    [SupplyParameterFromQuery(Name = "state")]
    public string? State { get; set; }

    [SupplyParameterFromQuery(Name = "iss")]
    public string? Iss { get; set; }

    [SupplyParameterFromQuery(Name = "error")]
    public string? Error { get; set; }

    [SupplyParameterFromQuery(Name = "error_description")]
    public string? ErrorDescription { get; set; }

    [SupplyParameterFromQuery(Name = "error_uri")]
    public string? ErrorUri { get; set; }

    /// <summary>Set by the catcher itself when the answer came as a form post or in the fragment.</summary>
    [SupplyParameterFromQuery(Name = "response_mode")]
    public string? ResponseMode { get; set; }

    // The issuer the bank puts in iss is the one its discovery document names, which need not be the address the
    // browser reaches it at (the end-to-end tests run Identity on a random port with the Development issuer).
    private string Issuer => _issuer ?? Platform.Value.IdentityUrl.ToString();

    private string? _issuer;

    private string CatcherUrl => CallbackCatcher.UrlFor(Navigation.BaseUri);

    private bool IssMatches => Iss is not null && string.Equals(Iss.TrimEnd('/'), Issuer.TrimEnd('/'), StringComparison.Ordinal);

    private StateResult StateCheck => string.IsNullOrEmpty(State) ? StateResult.Missing : _pending is not null ? StateResult.Matches : StateResult.Unknown;

    private IEnumerable<(string Name, string Value)> Received
        => new (string Name, string? Value)[]
            {
                ("code", Code), ("state", State), ("iss", Iss), ("error", Error), ("error_description", ErrorDescription), ("error_uri", ErrorUri),
            }
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => (p.Name, p.Value!));

    private string ReturnHref => $"/reference/{Uri.EscapeDataString(_pending!.ApiKey)}?"
        + (_pending.Version.IsDefault ? string.Empty : _pending.Version.Query + "&")
        + $"authorisation={Uri.EscapeDataString(_pending.State)}";

    protected override async Task OnParametersSetAsync()
    {
        _received = Received.Any();
        var user = (await Authentication.GetAuthenticationStateAsync()).User;
        _signedIn = user.Identity?.IsAuthenticated == true;
        _subject = _signedIn ? user.FindFirst("sub")?.Value : null;
        _pending = Authorisations.Find(_subject, State);
        _exchange = _pending?.Exchange;
        _issuer ??= await DiscoveredIssuerAsync();
    }

    private async Task<string?> DiscoveredIssuerAsync()
    {
        if (SignInOptions.Get(OpenIdConnectDefaults.AuthenticationScheme).ConfigurationManager is not { } configuration)
        {
            return null;
        }

        try
        {
            return (await configuration.GetConfigurationAsync(CancellationToken.None)).Issuer;
        }
        catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException)
        {
            // Discovery unreachable: fall back to the configured address rather than fail the page.
            return null;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _received)
        {
            return;
        }

        // response_mode=fragment: the browser keeps the answer after '#', so only script can read it. It becomes the
        // query (the fragment is dropped from history by replacing the entry) and the page renders it like any other.
        var fragment = await JS.InvokeAsync<string?>("portal.fragment");
        if (string.IsNullOrEmpty(fragment))
        {
            return;
        }

        var parameters = QueryHelpers.ParseQuery(fragment)
            .Where(p => CallbackCatcher.Parameters.Contains(p.Key, StringComparer.Ordinal))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .Append(new("response_mode", "fragment"))
            .ToList();
        if (parameters.Count > 1)
        {
            Navigation.NavigateTo(QueryHelpers.AddQueryString(CallbackCatcher.Path, parameters), replace: true);
        }
    }

    private async Task ExchangeAsync()
    {
        // Looked up again: the same authorisation may have been completed from another tab meanwhile.
        _pending = Authorisations.Find(_subject, State);
        if (_running || _pending is null || Code is null)
        {
            return;
        }

        if (_pending.AccessToken is not null)
        {
            _exchange = _pending.Exchange;
            return;
        }

        _running = true;
        try
        {
            _exchange = await Console.ExchangeCodeAsync(_pending.Credentials, Code, _pending.RedirectUri, _pending.Pkce.Verifier, _cts.Token);
            if (_exchange.Value("access_token") is { } token)
            {
                Authorisations.Complete(_pending, _exchange, token);
                _pending = Authorisations.Find(_subject, State);
            }
        }
        finally
        {
            _running = false;
        }
    }

    private static string Meaning(string parameter) => parameter switch
    {
        "code" => "The authorization code: single use, valid for about a minute, worthless without your app's credentials and the PKCE verifier.",
        "state" => "The value your app sent with the request, returned unchanged. Check it equals what you sent before using the code.",
        "iss" => "Who answered: it must equal the issuer you sent the customer to (RFC 9207).",
        "error" => "Why there is no code: an OAuth error code.",
        "error_description" => "The bank's explanation, for developers (not for customers).",
        "error_uri" => "A page about the error.",
        _ => string.Empty,
    };

    private static string ErrorAdvice(string error) => error switch
    {
        "access_denied" => "The customer declined (or cancelled at the bank): nothing was granted and the consent is rejected. Create a new consent to ask again.",
        "invalid_request" => "The request was not accepted — often a request_uri that was used already or expired (it is short-lived and works once). Push a new authorization request.",
        "invalid_scope" => "The app asked for a scope it is not allowed; check the app's scopes on its page.",
        "unauthorized_client" => "The app may not use this flow; check it is active and not suspended.",
        "login_required" or "consent_required" or "interaction_required" => "The customer has to sign in and decide in the browser; send them to the authorization URL without prompt=none.",
        "server_error" or "temporarily_unavailable" => "The bank could not answer; try again in a moment.",
        _ => "See the authorisation guide for what it means.",
    };

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
