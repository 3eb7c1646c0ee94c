using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;

namespace OpenBanking.Identity.Clients;

/// <summary>
/// Checks a partner app's settings before OpenIddict sees them, naming every failing field the way the JSON body
/// names it (<c>redirectUris[1]</c>), so that bad input is a 400 and never an exception from the store.
/// <paramref name="allowLoopbackHttp"/>: Development only, where partners' test apps run on http://localhost.
/// </summary>
internal sealed partial class ClientValidation(bool allowLoopbackHttp)
{
    public const int MaxNameLength = 100;
    public const int MaxOrganisationNameLength = 200;
    public const int MaxRedirectUris = 10;
    public const int MaxRedirectUriLength = 2000;
    public const int MaxJwksKeys = 20;

    // JWK members that only a private or symmetric key has: a partner uploads its public keys, never these.
    private static readonly string[] PrivateKeyMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public string? Name(string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add("name", "The name is required.");
            }

            return null;
        }

        var name = value.Trim();
        if (name.Length == 0 || name.Length > MaxNameLength)
        {
            Add("name", $"The name must have 1 to {MaxNameLength} characters.");
        }
        else if (name.Any(char.IsControl))
        {
            Add("name", "The name cannot contain control characters.");
        }

        return name;
    }

    public string? OrganisationId(string? value)
    {
        // Organisation ids are identifiers (the Portal's GUIDs); a narrow alphabet keeps them exact in the JSON
        // properties column, which the list filter searches.
        if (string.IsNullOrWhiteSpace(value))
        {
            Add("organisationId", "The organisation id is required.");
            return null;
        }

        if (value.Length > 100 || !OrganisationIdPattern().IsMatch(value))
        {
            Add("organisationId", "The organisation id must have 1 to 100 letters, digits, '.', '_', ':' or '-'.");
        }

        return value;
    }

    public string? OrganisationName(string? value)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxOrganisationNameLength || name.Any(char.IsControl))
        {
            Add("organisationName", $"The organisation name is required: 1 to {MaxOrganisationNameLength} characters, no control characters.");
        }

        return name;
    }

    public IReadOnlyList<Uri>? RedirectUris(IReadOnlyList<string?>? values, bool required)
    {
        if (values is null)
        {
            if (required)
            {
                Add("redirectUris", "At least one redirect URI is required.");
            }

            return null;
        }

        if (values.Count == 0 || values.Count > MaxRedirectUris)
        {
            Add("redirectUris", $"Give 1 to {MaxRedirectUris} redirect URIs.");
            return null;
        }

        var uris = new List<Uri>();
        for (var i = 0; i < values.Count; i++)
        {
            var field = $"redirectUris[{i}]";
            var value = values[i];
            if (string.IsNullOrWhiteSpace(value) || value.Length > MaxRedirectUriLength
                || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
            {
                Add(field, "A redirect URI must be an absolute URI.");
                continue;
            }

            // FAPI 2.0 (and RFC 9700): the code travels only over TLS. Loopback http is a Development convenience.
            if (uri.Scheme != Uri.UriSchemeHttps && !(allowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
            {
                Add(field, allowLoopbackHttp
                    ? "A redirect URI must use https (http only for localhost or 127.0.0.1 in Development)."
                    : "A redirect URI must use https.");
            }

            if (value.Contains('#', StringComparison.Ordinal))
            {
                Add(field, "A redirect URI cannot have a fragment.");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                Add(field, "A redirect URI cannot carry user information.");
            }

            // OpenIddict refuses an "iss" query parameter (issuer fixation): say so here rather than fail later.
            if (uri.Query.Length > 1 && uri.Query[1..].Split('&').Any(p => p == "iss" || p.StartsWith("iss=", StringComparison.Ordinal)))
            {
                Add(field, "A redirect URI cannot have an 'iss' query parameter.");
            }

            if (!uris.Contains(uri))
            {
                uris.Add(uri);
            }
        }

        return uris;
    }

    public IReadOnlyList<string>? Scopes(IReadOnlyList<string?>? values, bool required)
    {
        if (values is null)
        {
            if (required)
            {
                Add("scopes", "At least one Open Banking scope is required.");
            }

            return null;
        }

        var scopes = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value is null || !PartnerClientPermissions.AllowedScopes.Contains(value))
            {
                Add($"scopes[{i}]", $"Unknown scope; allowed: {string.Join(", ", PartnerClientPermissions.AllowedScopes.Order(StringComparer.Ordinal))}.");
            }
            else if (!scopes.Contains(value))
            {
                scopes.Add(value);
            }
        }

        if (!scopes.Any(PlatformScopes.OpenBanking.Contains))
        {
            Add("scopes", $"At least one Open Banking scope is required ({string.Join(", ", PlatformScopes.OpenBanking)}).");
        }

        return scopes;
    }

    public string? AuthMethod(string? value)
    {
        var method = value ?? ClientAuthMethods.ClientSecretBasic;
        if (method is not (ClientAuthMethods.ClientSecretBasic or ClientAuthMethods.PrivateKeyJwt))
        {
            Add("authMethod", $"The authentication method must be {ClientAuthMethods.ClientSecretBasic} or {ClientAuthMethods.PrivateKeyJwt}.");
            return null;
        }

        return method;
    }

    /// <summary>
    /// Parses the JWKS when the method needs one: public RSA or EC signing keys only (OpenIddict's own rule for a
    /// client without a secret, plus no private key material). Absent → null; wrong method → an error.
    /// </summary>
    public JsonWebKeySet? Jwks(JsonElement? value, string? authMethod, bool required)
    {
        var present = value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        if (!present)
        {
            if (required && authMethod == ClientAuthMethods.PrivateKeyJwt)
            {
                Add("jwks", "A JSON Web Key Set is required for private_key_jwt.");
            }

            return null;
        }

        if (authMethod is not null && authMethod != ClientAuthMethods.PrivateKeyJwt)
        {
            Add("jwks", "Only a private_key_jwt client has a JSON Web Key Set.");
            return null;
        }

        var json = value!.Value;
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            Add("jwks", "The JSON Web Key Set must be an object with a 'keys' array.");
            return null;
        }

        if (keys.GetArrayLength() is 0 or > MaxJwksKeys)
        {
            Add("jwks", $"The JSON Web Key Set must have 1 to {MaxJwksKeys} keys.");
            return null;
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object)
            {
                Add("jwks", "Every key must be a JSON object.");
                return null;
            }

            if (PrivateKeyMembers.Any(member => key.TryGetProperty(member, out _)))
            {
                Add("jwks", "The JSON Web Key Set must hold public keys only.");
                return null;
            }
        }

        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json.GetRawText());
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException)
        {
            Add("jwks", "The JSON Web Key Set cannot be read.");
            return null;
        }

        if (!set.Keys.Any(k => k.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve && k.Use is JsonWebKeyUseNames.Sig or null))
        {
            Add("jwks", "The JSON Web Key Set needs at least one RSA or EC signing key.");
            return null;
        }

        return set;
    }

    /// <summary>The app's message-signing key set (<see cref="MessageSigningKeys"/>); absent or null → null, no change.</summary>
    public JsonElement? MessageSigningJwks(JsonElement? value)
        => value is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } json ? MessageSigningKeys.Validate(json, this) : null;

    private static bool IsLoopback(Uri uri)
        => uri.IsLoopback && (uri.Host == "localhost" || uri.Host == "127.0.0.1");

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OrganisationIdPattern();
}
