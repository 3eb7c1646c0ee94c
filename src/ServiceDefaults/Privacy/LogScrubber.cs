using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenBanking.ServiceDefaults.Privacy;

/// <summary>
/// The safety net for what nobody classified (framework and library messages, exception texts): masks email
/// addresses (to a keyed hash, so they still correlate), JWTs and Authorization credentials, sort code + account
/// number pairs, IBANs, card numbers, and the values of sensitive parameters in query strings, form bodies and JSON
/// (<c>code</c>, <c>client_secret</c>, <c>password</c>, <c>otp</c>, tokens, <c>login_hint</c>, <c>request</c> …).
/// It runs on every log line, so a cheap pre-check skips text that cannot match, the pattern is source-generated,
/// and text with nothing to mask is returned as the same instance (no allocation).
/// </summary>
public sealed partial class LogScrubber(Pseudonymizer pseudonymizer)
{
    /// <summary>What replaces a secret value.</summary>
    public const string Redacted = "[redacted]";

    // Query/form/JSON parameter names whose values are secrets or personal data.
    private const string SensitiveKeys =
        "client_secret|client_assertion|code_verifier|code|password|passwd|pwd|otp|totp|pin|refresh_token|access_token|"
        + "id_token_hint|id_token|subject_token|token|assertion|login_hint|request|secret|api_?key|email|username";

    private static readonly SearchValues<char> TriggerChars = SearchValues.Create("@=\"");

    private static readonly SearchValues<string> TriggerWords =
        SearchValues.Create(["eyJ", "%40", "bearer", "basic", "dpop"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(
        """(?<kv>(?<![\w-])(?<k>(?i:""" + SensitiveKeys + """))(?<sep>=|"\s*:\s*"?)(?<v>[^&\s"',;<>{}\[\]]+))"""
        + """|(?<auth>(?i:\b(?:bearer|basic|dpop))\s+)(?<cred>(?=[A-Za-z]*[0-9\-._~+/=])[A-Za-z0-9\-._~+/]{6,}=*)"""
        + """|(?<jwt>\beyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,4})"""
        + """|(?<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"""
        + """|(?<iban>\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b)"""
        + """|(?<account>\b[0-9]{2}-?[0-9]{2}-?[0-9]{2}[ /,]{0,3}[0-9]{8}\b)"""
        + """|(?<card>\b(?:[0-9]{4}[ -]){3}[0-9]{1,7}\b|\b[0-9]{15,19}\b)""",
        RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant)]
    private static partial Regex Sensitive();

    [GeneratedRegex("""^(?i:""" + SensitiveKeys + """|authorization|cookie|set-cookie|iban|sortcode|sort_code|accountnumber|account_number|card_?number)$""",
        RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveName();

    /// <summary>Whether a structured value named <paramref name="name"/> is sensitive whatever it holds.</summary>
    public static bool IsSensitiveName(string name) => name.Length is > 1 and < 40 && SensitiveName().IsMatch(name);

    /// <summary><paramref name="text"/> with everything sensitive masked; the same instance when there is nothing to mask.</summary>
    public string Scrub(string text)
    {
        if (!MightContainSensitive(text))
        {
            return text;
        }

        var regex = Sensitive();
        return regex.IsMatch(text) ? regex.Replace(text, Mask) : text;
    }

    /// <summary>Cheap test: no trigger character, trigger word or long digit run means nothing can match.</summary>
    public static bool MightContainSensitive(ReadOnlySpan<char> text)
        => text.Length >= 6 && (text.ContainsAny(TriggerChars) || text.ContainsAny(TriggerWords) || HasLongDigitRun(text));

    // Financial identifiers have at least 11 digits, possibly split by single spaces or dashes.
    private static bool HasLongDigitRun(ReadOnlySpan<char> text)
    {
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (++run >= 11)
                {
                    return true;
                }
            }
            else if (!(c is ' ' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && run > 0))
            {
                run = 0;
            }
        }

        return false;
    }

    private string Mask(Match match)
    {
        var groups = match.Groups;
        if (groups["kv"].Success)
        {
            return groups["k"].Value + groups["sep"].Value + Redacted;
        }

        if (groups["auth"].Success)
        {
            return groups["auth"].Value + Redacted;
        }

        if (groups["jwt"].Success)
        {
            return "[token]";
        }

        if (groups["email"].Success)
        {
            var email = match.Value.Replace("%40", "@", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();
            return "[email:" + pseudonymizer.Of(email) + "]";
        }

        if (groups["iban"].Success)
        {
            return MaskIban(match.Value);
        }

        if (groups["account"].Success)
        {
            return "[account]";
        }

        return PassesLuhn(match.ValueSpan) ? "[card]" : match.Value;
    }

    // A spaced IBAN may have swallowed a following word ("… 9268 19 EUR"): the longest valid prefix is masked.
    private static string MaskIban(string candidate)
    {
        for (var end = candidate.Length; end > 0; end = candidate.LastIndexOf(' ', end - 1))
        {
            if (IsIban(candidate.AsSpan(0, end)))
            {
                return "[iban]" + candidate[end..];
            }
        }

        return candidate;
    }

    /// <summary>ISO 13616 check: the rearranged number modulo 97 is 1.</summary>
    public static bool IsIban(ReadOnlySpan<char> candidate)
    {
        var compact = new StringBuilder(candidate.Length);
        foreach (var c in candidate)
        {
            if (c != ' ')
            {
                compact.Append(c);
            }
        }

        var text = compact.ToString();
        if (text.Length is < 15 or > 34)
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in text[4..] + text[..4])
        {
            remainder = char.IsAsciiDigit(c)
                ? (remainder * 10 + (c - '0')) % 97
                : (remainder * 100 + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    /// <summary>The Luhn check of card numbers (at least 13 digits).</summary>
    public static bool PassesLuhn(ReadOnlySpan<char> candidate)
    {
        int sum = 0, digits = 0;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(candidate[i]))
            {
                continue;
            }

            var d = candidate[i] - '0';
            if (digits++ % 2 == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
        }

        return digits >= 13 && sum % 10 == 0;
    }
}
