using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;

namespace OpenBanking.Identity.Clients;

/// <summary>
/// A partner app's message-signing key set (the keys its <c>x-jws-signature</c>s are verified with): the Open Banking
/// profile is PS256 only, so every key is a public RSA key of at least 2048 bits with its own <c>kid</c>. Kept apart
/// from the private_key_jwt set so that a message-signing key never authenticates the client at the token endpoint.
/// </summary>
internal static class MessageSigningKeys
{
    public const int MaxKeys = 5;
    public const int MinModulusBits = 2048;
    public const int MaxModulusBits = 8192;
    public const int MaxKidLength = 100;
    public const string Field = "messageSigningJwks";

    // Members of a private or symmetric key: a partner uploads the public half only.
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>
    /// Checks <paramref name="value"/> and returns the set as stored: only <c>kty</c>, <c>kid</c>, <c>use</c>,
    /// <c>alg</c>, <c>n</c>, <c>e</c> of each key (other members such as <c>x5c</c> are not used here, so they are
    /// not kept). Every problem is added to <paramref name="check"/>, all at once; null when any.
    /// </summary>
    public static JsonElement? Validate(JsonElement value, ClientValidation check)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            check.Add(Field, "The message-signing keys must be a JSON Web Key Set: an object with a 'keys' array.");
            return null;
        }

        var count = keys.GetArrayLength();
        var valid = true;
        // An empty set is allowed: it is how a partner withdraws its last key (a leaked one, say) at once.
        if (count > MaxKeys)
        {
            check.Add(Field, $"Give at most {MaxKeys} message-signing keys; this set has {count}.");
            valid = false;
        }

        var stored = new JsonArray();
        var kids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var key in keys.EnumerateArray())
        {
            var field = $"{Field}.keys[{index++}]";
            if (key.ValueKind != JsonValueKind.Object)
            {
                check.Add(field, "A key must be a JSON object (a JWK).");
                valid = false;
                continue;
            }

            var problems = new List<string>();
            var kid = Text(key, "kid");
            if (string.IsNullOrEmpty(kid))
            {
                problems.Add("It needs a 'kid': your signatures name the key by it.");
            }
            else if (kid.Length > MaxKidLength || kid.Any(char.IsControl))
            {
                problems.Add($"Its 'kid' must have 1 to {MaxKidLength} characters, no control characters.");
            }
            else if (!kids.Add(kid))
            {
                problems.Add($"Its 'kid' '{kid}' is used by another key of the set; each kid must be unique.");
            }

            var leaked = PrivateMembers.Where(m => key.TryGetProperty(m, out _)).ToList();
            if (leaked.Count > 0)
            {
                problems.Add($"It holds private key material ({string.Join(", ", leaked.Select(m => $"'{m}'"))}): upload the public key only, and replace this key, since its private half has been shared.");
            }

            var kty = Text(key, "kty");
            if (kty != JsonWebAlgorithmsKeyTypes.RSA)
            {
                problems.Add($"It must be an RSA key (kty 'RSA'), as message signatures are {MessageSigning.Algorithm}; it is {Describe(kty)}.");
            }

            var use = Text(key, "use");
            if (key.TryGetProperty("use", out _) && use != JsonWebKeyUseNames.Sig)
            {
                problems.Add($"Its 'use' must be 'sig' or absent; it is {Describe(use)}.");
            }

            var alg = Text(key, "alg");
            if (key.TryGetProperty("alg", out _) && alg != MessageSigning.Algorithm)
            {
                problems.Add($"Its 'alg' must be '{MessageSigning.Algorithm}' or absent; it is {Describe(alg)}.");
            }

            string? n = null, e = null;
            if (kty == JsonWebAlgorithmsKeyTypes.RSA)
            {
                var modulus = Bytes(key, "n");
                var exponent = Bytes(key, "e");
                if (modulus is null || exponent is null || exponent.Length is 0 or > 8)
                {
                    problems.Add("Its 'n' and 'e' must be base64url-encoded (an RSA public key).");
                }
                else
                {
                    // Leading zero bytes are not part of the number: strip them so size and thumbprint are canonical.
                    modulus = TrimLeadingZeros(modulus);
                    exponent = TrimLeadingZeros(exponent);
                    var bits = ModulusBits(modulus);
                    if (bits is < MinModulusBits or > MaxModulusBits)
                    {
                        problems.Add($"Its modulus must have {MinModulusBits} to {MaxModulusBits} bits; it has {bits}.");
                    }
                    else if ((exponent[^1] & 1) == 0 || exponent is [1])
                    {
                        problems.Add("Its public exponent 'e' is not a valid RSA exponent.");
                    }

                    n = Base64UrlEncoder.Encode(modulus);
                    e = Base64UrlEncoder.Encode(exponent);
                }
            }

            if (problems.Count > 0)
            {
                var name = string.IsNullOrEmpty(kid) ? $"Key {index}" : $"Key {index} ('{kid}')";
                foreach (var problem in problems)
                {
                    check.Add(field, $"{name}: {problem}");
                }

                valid = false;
                continue;
            }

            var node = new JsonObject { ["kty"] = kty, ["kid"] = kid };
            if (use is not null)
            {
                node["use"] = use;
            }

            if (alg is not null)
            {
                node["alg"] = alg;
            }

            node["n"] = n;
            node["e"] = e;
            stored.Add(node);
        }

        return valid ? JsonSerializer.SerializeToElement(new JsonObject { ["keys"] = stored }) : null;
    }

    /// <summary>The public facts of each key of a stored set, in the set's order.</summary>
    public static IReadOnlyList<SigningKeyView> Views(JsonElement? set)
    {
        if (set is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var views = new List<SigningKeyView>();
        foreach (var key in keys.EnumerateArray())
        {
            var n = Text(key, "n");
            var e = Text(key, "e");
            if (Text(key, "kid") is not { } kid || n is null || e is null || Bytes(key, "n") is not { } modulus)
            {
                continue;
            }

            views.Add(new SigningKeyView(kid, Text(key, "kty") ?? JsonWebAlgorithmsKeyTypes.RSA, Text(key, "alg"), ModulusBits(TrimLeadingZeros(modulus)), JwkThumbprint.Rsa(n, e)));
        }

        return views;
    }

    private static string? Text(JsonElement key, string name)
        => key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(string? value) => value is null ? "missing or not a string" : $"'{value}'";

    private static byte[]? Bytes(JsonElement key, string name)
    {
        var text = Text(key, name);
        if (string.IsNullOrEmpty(text) || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return null;
        }

        try
        {
            return Base64UrlEncoder.DecodeBytes(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] TrimLeadingZeros(byte[] bytes)
    {
        var start = 0;
        while (start < bytes.Length - 1 && bytes[start] == 0)
        {
            start++;
        }

        return start == 0 ? bytes : bytes[start..];
    }

    private static int ModulusBits(byte[] modulus)
        => modulus.Length == 0 ? 0 : (int)new BigInteger(modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
}
