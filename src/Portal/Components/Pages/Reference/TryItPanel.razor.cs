using Microsoft.AspNetCore.Components;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.Components.Pages.Reference;

public partial class TryItPanel
{
    private static readonly string[] ConsoleHeaders = ["Authorization", "x-jws-signature"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _cts = new();
    private List<HttpExchange> _exchanges = [];
    private string? _body;
    private string? _problem;
    private bool _running;

    [Parameter, EditorRequired]
    public ApiInfo Api { get; set; } = null!;

    [Parameter, EditorRequired]
    public ApiOperation Operation { get; set; } = null!;

    /// <summary>The version the operation belongs to: the consent and customer token are kept per version.</summary>
    [Parameter]
    public ObieVersion Version { get; set; } = ObieVersion.Default;

    private string ConsoleKey => Version.ConsoleKey(Api);

    private IEnumerable<ApiParameter> Headers => Operation.Parameters.Where(p => p.In == "header" && !ConsoleHeaders.Contains(p.Name, StringComparer.OrdinalIgnoreCase));

    private string? _operationId;

    protected override void OnInitialized() => Session.Changed += OnSessionChanged;

    protected override void OnParametersSet()
    {
        if (_operationId == Operation.OperationId)
        {
            return;
        }

        _operationId = Operation.OperationId;
        _values.Clear();
        _headers.Clear();
        _exchanges = [];
        _problem = null;
        _body = ConsoleDefaults.RequestBody(Api, Version, Operation);
        if (Session.ConsentId(ConsoleKey) is { } consentId && Operation.Parameters.Any(p => p.Name == "ConsentId"))
        {
            _values["ConsentId"] = consentId;
        }

        NewIdempotencyKey();
    }

    private static string Value(Dictionary<string, string> values, string name) => values.GetValueOrDefault(name) ?? string.Empty;

    private static string HeaderHelp(ApiParameter header) => header.Name.ToLowerInvariant() switch
    {
        "x-fapi-interaction-id" => "Leave empty to send a new UUID.",
        "x-idempotency-key" => "A new key is made after each call (max 40 characters).",
        _ => header.Required ? "Required. " + header.Description : "Optional. " + header.Description,
    };

    private void NewIdempotencyKey()
    {
        if (Operation.Parameters.Any(p => p.Name.Equals("x-idempotency-key", StringComparison.OrdinalIgnoreCase)))
        {
            _headers["x-idempotency-key"] = Guid.NewGuid().ToString("N");
        }
    }

    private string? Validate()
    {
        if (Operation.Grant == ApiGrant.AuthorizationCode)
        {
            if (Session.CustomerToken(ConsoleKey) is null)
            {
                return "Run the consent flow above first: this operation needs a customer's access token.";
            }
        }
        else if (Session.CredentialsProblem is { } credentials)
        {
            return credentials;
        }

        var missing = Operation.Parameters.Where(p => p.Required && p.In == "path" && string.IsNullOrWhiteSpace(Value(_values, p.Name))).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            return "Enter " + string.Join(", ", missing) + ".";
        }

        if (_body is not null)
        {
            try
            {
                using var _ = System.Text.Json.JsonDocument.Parse(_body);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return "The request body is not valid JSON: " + ex.Message;
            }
        }

        return null;
    }

    private string BuildPath()
    {
        var path = Operation.FullPath;
        foreach (var parameter in Operation.Parameters.Where(p => p.In == "path"))
        {
            // Escaped, so that a value cannot add path segments.
            path = path.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(Value(_values, parameter.Name).Trim()), StringComparison.Ordinal);
        }

        var query = Operation.Parameters.Where(p => p.In == "query" && !string.IsNullOrWhiteSpace(Value(_values, p.Name)))
            .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(Value(_values, p.Name).Trim())}").ToList();
        return query.Count == 0 ? path : path + "?" + string.Join("&", query);
    }

    private async Task SendAsync()
    {
        _problem = Validate();
        if (_problem is not null || _running)
        {
            return;
        }

        _running = true;
        _exchanges = [];
        try
        {
            var ct = _cts.Token;
            string? token;
            if (Operation.Grant == ApiGrant.AuthorizationCode)
            {
                token = Session.CustomerToken(ConsoleKey);
            }
            else
            {
                token = Session.ClientToken(Api.Scope);
                if (token is null)
                {
                    var tokenExchange = await Console.ClientCredentialsTokenAsync(Session.Credentials, Api.Scope, ct);
                    _exchanges.Add(tokenExchange);
                    token = tokenExchange.Value("access_token");
                    if (token is not null)
                    {
                        Session.RememberClientToken(Api.Scope, token, int.TryParse(tokenExchange.Value("expires_in"), out var seconds) ? seconds : null);
                    }
                }
            }

            if (token is not null)
            {
                var headers = _headers.Where(h => !string.IsNullOrWhiteSpace(h.Value)).ToDictionary(h => h.Key, h => h.Value.Trim(), StringComparer.OrdinalIgnoreCase);
                _exchanges.Add(await Console.CallGatewayAsync(Operation.Method, BuildPath(), token, _body, headers, ct));
                NewIdempotencyKey();
            }
        }
        finally
        {
            _running = false;
        }
    }

    private void OnSessionChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Session.Changed -= OnSessionChanged;
        _cts.Cancel();
        _cts.Dispose();
    }
}
