using System.Text;
using System.Text.RegularExpressions;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>
/// Why the bank refused a call, for the gateway's call log: the rule (<see cref="RefusalRules.ConsentPrefix"/> +
/// revoked, expired, rejected, awaiting-authorisation, consumed, permission, account, client, deleted, …, or
/// <see cref="RefusalRules.BankRequestPrefix"/> + field, header, idempotency, signature, …) and a sentence in plain
/// words. Written as response headers in one place (<see cref="ObieExceptionHandler"/>); the gateway logs them and
/// strips them before the response reaches the partner. Status codes and error bodies are unchanged by them.
/// </summary>
public static partial class BankRefusals
{
    /// <summary>The longest reason sent (the gateway keeps 500 characters).</summary>
    public const int MaxReasonLength = 500;

    public static string Consent(string what) => RefusalRules.ConsentPrefix + what;

    public static string Request(string what) => RefusalRules.BankRequestPrefix + what;

    /// <summary>A consent status as a rule's tail: AwaitingAuthorisation → awaiting-authorisation.</summary>
    public static string Kebab(string status) => KebabPattern().Replace(status, "-$1").ToLowerInvariant();

    /// <summary>The time as the reasons give it: RFC 3339, UTC, whole seconds.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The rule and reason of a refusal: what its thrower named, else what its status and first error code say.</summary>
    /// <param name="consentId">The consent the call used (token claim or route), named in a derived consent reason.</param>
    public static (string Rule, string Reason)? Of(ObieException refusal, string? consentId = null)
    {
        if (refusal.StatusCode >= 500 && refusal.StatusCode != StatusCodes.Status503ServiceUnavailable)
        {
            return null;
        }

        var reason = refusal.RefusalReason ?? Describe(refusal);
        if (refusal.RefusalRule is { } rule)
        {
            return (rule, reason);
        }

        var code = refusal.Errors.Count > 0 ? refusal.Errors[0].ErrorCode : null;
        var message = refusal.Message;
        rule = code switch
        {
            ObieErrorCodes.ResourceInvalidConsentStatus => StatusFrom(message + " " + string.Join(' ', refusal.Errors.Select(e => e.Message))),
            ObieErrorCodes.ResourceConsentMismatch => Consent("mismatch"),
            ObieErrorCodes.Reauthenticate => Consent("reauthenticate"),
            ObieErrorCodes.ResourceNotFound => Request("not-found"),
            ObieErrorCodes.ResourceAlreadyExists or ObieErrorCodes.RulesResourceAlreadyExists or ObieErrorCodes.RulesDuplicateReference => Request("idempotency"),
            ObieErrorCodes.RulesFailsControlParameters => Request("controls"),
            ObieErrorCodes.RulesAfterCutOffDateTime => Request("cut-off"),
            not null when code.StartsWith("UK.OBIE.Signature.", StringComparison.Ordinal) => Request("signature"),
            not null when code.StartsWith("UK.OBIE.Header.", StringComparison.Ordinal)
                => refusal.Errors.Any(e => e.Path?.Contains("idempotency", StringComparison.OrdinalIgnoreCase) == true || e.Message.Contains("idempotency", StringComparison.OrdinalIgnoreCase))
                    ? Request("idempotency") : Request("header"),
            not null when code.StartsWith("UK.OBIE.Unsupported.", StringComparison.Ordinal) => Request("unsupported"),
            not null when code.StartsWith("UK.OBIE.Field.", StringComparison.Ordinal) || code == ObieErrorCodes.ResourceInvalidFormat => Request("field"),
            _ => refusal.StatusCode switch
            {
                StatusCodes.Status401Unauthorized => Consent("access"),
                StatusCodes.Status403Forbidden when message.Contains("another consent", StringComparison.Ordinal) => Consent("mismatch"),
                StatusCodes.Status403Forbidden when message.Contains("another client", StringComparison.Ordinal) || message.Contains("not this client", StringComparison.Ordinal)
                    => message.Contains("consent", StringComparison.OrdinalIgnoreCase) ? Consent("client") : Request("client"),
                StatusCodes.Status403Forbidden when message.Contains("token", StringComparison.Ordinal) => Request("token"),
                StatusCodes.Status403Forbidden => Consent("forbidden"),
                StatusCodes.Status503ServiceUnavailable => Request("unavailable"),
                _ => Request("refused"),
            },
        };
        if (refusal.RefusalReason is null && consentId is not null && rule.StartsWith(RefusalRules.ConsentPrefix, StringComparison.Ordinal))
        {
            reason = $"Consent {consentId}: {reason}";
        }

        return (rule, reason);
    }

    /// <summary>The consent a call used: its token's, else the one its path names.</summary>
    public static string? ConsentOf(HttpContext http)
        => http.User.FindFirst(PlatformClaims.ConsentId)?.Value
            ?? (http.Request.RouteValues.TryGetValue("ConsentId", out var routed) ? routed as string : null);

    /// <summary>A header value: one line of printable ASCII (a header cannot carry more), at most <see cref="MaxReasonLength"/> characters.</summary>
    public static string HeaderValue(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxReasonLength));
        foreach (var ch in text)
        {
            if (builder.Length == MaxReasonLength)
            {
                break;
            }

            builder.Append(ch switch
            {
                '£' => "GBP ",
                '€' => "EUR ",
                '’' or '‘' => "'",
                '“' or '”' => "\"",
                '–' or '—' => "-",
                '…' => "...",
                >= ' ' and <= '~' => ch.ToString(),
                _ => " ",
            });
        }

        return builder.Length > MaxReasonLength ? builder.ToString(0, MaxReasonLength) : builder.ToString();
    }

    private static string StatusFrom(string text)
        => StatusPattern().Match(text) is { Success: true } match ? Consent(Kebab(match.Groups[1].Value)) : Consent("status");

    /// <summary>The sentence the refusal already carries: its message, or its errors' when the message is the generic one.</summary>
    private static string Describe(ObieException refusal)
    {
        var errors = string.Join("; ", refusal.Errors.Select(e => e.Path is { Length: > 0 } path && !e.Message.Contains(path, StringComparison.Ordinal) ? $"{path}: {e.Message}" : e.Message));
        var message = refusal.Message;
        return errors.Length == 0 ? message
            : message.StartsWith("The request is not valid", StringComparison.Ordinal) ? errors
            : message + " " + errors;
    }

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex KebabPattern();

    [GeneratedRegex(@"consent is (AwaitingAuthorisation|Authorised|Rejected|Revoked|Consumed)")]
    private static partial Regex StatusPattern();
}
