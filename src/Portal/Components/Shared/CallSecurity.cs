using System.Text;
using System.Text.Json;
using OpenBanking.Portal.Guides;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Components.Shared;

/// <summary>A JOSE object taken apart for reading: its header and, unless detached, its payload, as indented JSON.</summary>
public sealed record DecodedJose(string? Header, string? Payload, bool Detached, string? Problem);

/// <summary>How the call log shows a call's message signature and DPoP binding, and where each refusal rule is explained.</summary>
public static class CallSecurity
{
    public const string SignatureRulePrefix = "signature.";
    public const string DpopRulePrefix = "dpop.";

    public static bool SignatureRefused(CallView call) => call.RefusalRule?.StartsWith(SignatureRulePrefix, StringComparison.Ordinal) == true;

    public static bool DpopRefused(CallView call) => call.RefusalRule?.StartsWith(DpopRulePrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// The guide that explains a rule: DPoP's for <c>dpop.*</c>, message signing's for <c>signature.*</c>, the gateway's
    /// for the rest (scopes, tokens, rate limits, simulated faults, the bank's consent and request checks).
    /// </summary>
    public static string GuideOf(string rule)
        => rule.StartsWith(DpopRulePrefix, StringComparison.Ordinal) ? "dpop"
            : rule.StartsWith(SignatureRulePrefix, StringComparison.Ordinal) ? "message-signing"
            : "gateway";

    /// <summary>The lint mark of a call-log row in words: not linted (queued or sampled out), spec OK, or how many problems.</summary>
    public static string LintText(int? problemCount) => problemCount switch
    {
        null => "not linted",
        0 => "spec OK",
        1 => "1 spec problem",
        var n => $"{n} spec problems",
    };

    /// <summary>
    /// The guide section about a rule: the first section whose heading, else whose text, names the rule (without its
    /// <c>:claim</c> part), so the link follows the guide as it is written; the guide's top when none does or the
    /// guide is not deployed.
    /// </summary>
    public static string Href(string rule, GuideLibrary? guides)
    {
        var guide = GuideInfo.Find(GuideOf(rule))!;
        var name = rule.Split(':', 2)[0];
        try
        {
            var sections = guides?.Get(guide).Sections ?? [];
            var section = sections.FirstOrDefault(s => s.Heading.Contains(name, StringComparison.OrdinalIgnoreCase))
                ?? sections.FirstOrDefault(s => s.Text.Contains(name, StringComparison.OrdinalIgnoreCase));
            return section?.Href ?? $"/guides/{guide.Name}";
        }
        catch (IOException)
        {
            return $"/guides/{guide.Name}";
        }
    }

    /// <summary>The first request header of that name (names compared case-insensitively), or null.</summary>
    public static string? Header(IReadOnlyList<CallHeader> headers, string name)
        => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>
    /// A compact JWS (<c>header.payload.signature</c>, the payload empty when detached) decoded for reading; never
    /// verified here (the Sandbox and the gateway did that), and never throws: a part that is not base64url JSON is
    /// named in <c>Problem</c>.
    /// </summary>
    public static DecodedJose Decode(string? compact)
    {
        if (string.IsNullOrWhiteSpace(compact))
        {
            return new DecodedJose(null, null, false, "empty");
        }

        var parts = compact.Trim().Split('.');
        if (parts.Length != 3)
        {
            return new DecodedJose(null, null, false, $"not a compact JWS: it has {parts.Length} part{(parts.Length == 1 ? "" : "s")}, not 3 (header.payload.signature)");
        }

        var header = Json(parts[0]);
        var detached = parts[1].Length == 0;
        var payload = detached ? null : Json(parts[1]);
        var problem = header is null ? "the header is not base64url-encoded JSON"
            : !detached && payload is null ? "the payload is not base64url-encoded JSON"
            : null;
        return new DecodedJose(header, payload, detached, problem);
    }

    private static string? Json(string part)
    {
        try
        {
            var padded = part.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            using var document = JsonDocument.Parse(text);
            return CallDetailText.Pretty(text);
        }
        catch (Exception exception) when (exception is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
