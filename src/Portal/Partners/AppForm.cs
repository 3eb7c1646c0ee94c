using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace OpenBanking.Portal.Partners;

/// <summary>What a partner enters to register an app (an OAuth client at Identity).</summary>
public sealed class AppForm : IValidatableObject
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string PrivateKeyJwt = "private_key_jwt";

    [Required(ErrorMessage = "Name the app.")]
    [StringLength(100, MinimumLength = 2, ErrorMessage = "Use 2 to 100 characters for the name.")]
    public string? Name { get; set; }

    [StringLength(1000, ErrorMessage = "Shorten the description to 1,000 characters or fewer.")]
    public string? Description { get; set; }

    /// <summary>One redirect URI per line.</summary>
    [Required(ErrorMessage = "Enter at least one redirect URI.")]
    public string? RedirectUris { get; set; }

    public bool Accounts { get; set; } = true;

    public bool Payments { get; set; }

    public bool FundsConfirmations { get; set; }

    /// <summary>Refresh tokens (scope offline_access).</summary>
    public bool OfflineAccess { get; set; } = true;

    public string AuthMethod { get; set; } = ClientSecretBasic;

    /// <summary>
    /// Payment, VRP and event-subscription requests must carry an <c>x-jws-signature</c> (on for new apps, as Open
    /// Banking requires; switch it off while integrating, then on).
    /// </summary>
    public bool RequireSignedRequests { get; set; } = true;

    /// <summary>The public JSON Web Key Set, for private_key_jwt.</summary>
    public string? Jwks { get; set; }

    public IReadOnlyList<string> RedirectUriList => ParseRedirectUris(RedirectUris);

    /// <summary>The scopes the app may use today: payments only after an admin grants it.</summary>
    public IReadOnlyList<string> ScopesToRegister(bool paymentsGranted)
    {
        var scopes = new List<string> { "openid" };
        if (OfflineAccess)
        {
            scopes.Add("offline_access");
        }

        if (Accounts)
        {
            scopes.Add("accounts");
        }

        if (Payments && paymentsGranted)
        {
            scopes.Add("payments");
        }

        if (FundsConfirmations)
        {
            scopes.Add("fundsconfirmations");
        }

        return scopes;
    }

    public static IReadOnlyList<string> ParseRedirectUris(string? text)
        => [.. (text ?? "").Split(['\n', '\r', ' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The rule Identity applies too: absolute, https (http only on localhost), no fragment, no iss parameter. Each
    /// message says what to enter instead, not what the parser thought ("not an absolute URI").
    /// </summary>
    public static string? CheckRedirectUri(string value)
    {
        var shown = value.Length > 60 ? value[..40] + "…" : value;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)
            || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host == "localhost"))))
        {
            return $"'{shown}': use an https:// address (or http://localhost in the sandbox).";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return $"'{shown}': remove the part from '#' on (a redirect URI cannot have a fragment).";
        }

        if (uri.Query.TrimStart('?').Split('&').Any(p => p.Split('=')[0] == "iss"))
        {
            return $"'{shown}': remove the 'iss' query parameter (the bank adds it to the redirect itself).";
        }

        return value.Length > 500 ? $"'{shown}': use an address of at most 500 characters." : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var uris = RedirectUriList;
        if (uris.Count > 10)
        {
            yield return new ValidationResult($"Enter at most 10 redirect URIs (there are {uris.Count}).", [nameof(RedirectUris)]);
        }

        foreach (var problem in uris.Select(CheckRedirectUri).OfType<string>())
        {
            yield return new ValidationResult(problem, [nameof(RedirectUris)]);
        }

        if (!Accounts && !FundsConfirmations)
        {
            yield return new ValidationResult(
                Payments
                    ? "Choose account information or funds confirmation too: payment initiation waits for the bank's approval."
                    : "Choose at least one API.",
                [nameof(Accounts)]);
        }

        if (AuthMethod is not (ClientSecretBasic or PrivateKeyJwt))
        {
            yield return new ValidationResult("Choose client_secret_basic or private_key_jwt.", [nameof(AuthMethod)]);
        }
        else if (AuthMethod == PrivateKeyJwt)
        {
            if (string.IsNullOrWhiteSpace(Jwks))
            {
                yield return new ValidationResult("Paste or upload the app's public JSON Web Key Set.", [nameof(Jwks)]);
            }
            else if (ParseJwks(Jwks) is null)
            {
                yield return new ValidationResult("Paste the key set as JSON with a \"keys\" array: {\"keys\":[...]}.", [nameof(Jwks)]);
            }
        }
    }

    public static JsonElement? ParseJwks(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 50_000)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
                    ? document.RootElement.Clone()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void EnsureValid() => FormValidation.EnsureValid(this);
}
