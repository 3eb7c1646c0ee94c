using System.Globalization;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Readiness;

/// <summary>What the readiness checks read of one logged call (the call-log row; no bodies).</summary>
public sealed record ReadinessCall(
    long Id, DateTime Timestamp, string Method, string? RouteTemplate, int StatusCode, string? ErrorCode, string? RefusalRule,
    string? ConsentId, string? IdempotencyKey, int? RetryAfterSeconds, bool? Signed, bool DpopBound, bool? InteractionIdSent);

/// <summary>A call (or another record) that shows a check's verdict.</summary>
public sealed record ReadinessEvidence(long? CallId, DateTimeOffset At, string What);

/// <summary>One behaviour check: <c>Status</c> passed | failed | not-exercised | not-required; <c>Detail</c> in words.</summary>
public sealed record ReadinessCheck(string Id, string Title, string Status, string Detail, IReadOnlyList<ReadinessEvidence> Evidence);

/// <summary>
/// The behaviour checks the call log can judge, as pure functions of an app's call rows (oldest first). Each looks at
/// the app's latest episode of the situation — the latest 429, the latest 5xx, the latest refused consent… — so the
/// report follows the app's current code, not a mistake it fixed weeks ago; evidence lists up to five calls.
/// Definitions (docs/spec-lint.md repeats them):
/// <list type="bullet">
/// <item><c>consent-refusal-handled</c>: after the latest call refused for its consent's state (rule <c>consent.*</c>, or
/// <c>UK.OBIE.Resource.InvalidConsentStatus</c> / <c>U009</c>), at most one further call with that consent = passed;
/// three or more = failed (two: passed, noted).</item>
/// <item><c>rate-limit-respected</c>: the next call to the route of the latest 429 with <c>Retry-After</c> N (that has a next
/// call) came at least N seconds later = passed; sooner = failed.</item>
/// <item><c>idempotent-retry</c>: a POST repeated with the same <c>x-idempotency-key</c> on the same route and answered 2xx
/// (with the same consent, for consent creates) = passed; a POST retried after a 5xx/429 with a different key (or none) =
/// failed; the latest episode decides.</item>
/// <item><c>server-error-backoff</c>: after the latest 5xx, the retries of its route (until an answer below 500, within 60 s)
/// wait at least 1 s (and the 503's Retry-After) and do not shrink = passed; three calls within 1 s, or any shorter wait
/// = failed.</item>
/// <item><c>signed-requests</c>: the latest POST on a route that takes <c>x-jws-signature</c>: verified = passed; refused with
/// <c>signature.*</c> = failed; unsigned and never signed = not-required (passes while the app does not require signing).</item>
/// <item><c>dpop</c>: the latest DPoP evidence: a bound, verified call = passed; a call refused with <c>dpop.*</c> =
/// failed; no DPoP at all = not-required.</item>
/// <item><c>interaction-id</c>: at least 95 % of bank-API calls carry their own <c>x-fapi-interaction-id</c> = passed.</item>
/// </list>
/// </summary>
public static class ReadinessEvaluator
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string NotExercised = "not-exercised";
    public const string NotRequired = "not-required";

    private const int MaxEvidence = 5;
    private static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(60);

    /// <summary>Every check, in a fixed order, over <paramref name="calls"/> sorted oldest first.</summary>
    public static IReadOnlyList<ReadinessCheck> Evaluate(IReadOnlyList<ReadinessCall> calls) =>
    [
        ConsentRefusalHandled(calls),
        RateLimitRespected(calls),
        IdempotentRetry(calls),
        ServerErrorBackoff(calls),
        SignedRequests(calls),
        Dpop(calls),
        InteractionId(calls),
    ];

    public static ReadinessCheck ConsentRefusalHandled(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "consent-refusal-handled", title = "Stops using a revoked, expired or rejected consent";
        var refusal = calls.LastOrDefault(c => c.ConsentId is not null && IsConsentRefusal(c));
        if (refusal is null)
        {
            return new(id, title, NotExercised, "No call was refused for its consent's state. Revoke a consent (or let one expire) and call with it once.", []);
        }

        // Calls with the consent after its first refusal in this episode (refusals before the latest one are the same episode).
        var first = calls.First(c => c.ConsentId == refusal.ConsentId && IsConsentRefusal(c));
        var after = calls.Where(c => c.ConsentId == first.ConsentId && c.Timestamp >= first.Timestamp && c.Id != first.Id).ToList();
        var evidence = new List<ReadinessEvidence> { Evidence(first, $"{Describe(first)}: refused for consent {first.ConsentId} ({first.RefusalRule ?? first.ErrorCode})") };
        evidence.AddRange(after.Take(MaxEvidence - 1).Select(c => Evidence(c, $"{Describe(c)}: used consent {c.ConsentId} again")));
        return after.Count switch
        {
            <= 1 => new(id, title, Passed, after.Count == 0
                ? $"After consent {first.ConsentId} was refused the app did not use it again."
                : $"After consent {first.ConsentId} was refused the app used it once more, then stopped.", evidence),
            2 => new(id, title, Passed, $"After consent {first.ConsentId} was refused the app used it twice more, then stopped; once should be enough.", evidence),
            _ => new(id, title, Failed, $"After consent {first.ConsentId} was refused the app kept using it ({after.Count} more calls): ask the customer for a new consent instead.", evidence),
        };
    }

    public static ReadinessCheck RateLimitRespected(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "rate-limit-respected", title = "Waits for Retry-After after a 429";
        ReadinessCall? limited = null, next = null;
        for (var i = calls.Count - 1; i >= 0 && next is null; i--)
        {
            if (calls[i].StatusCode == 429 && calls[i].RetryAfterSeconds is not null)
            {
                var found = NextOnRoute(calls, i);
                if (found is not null)
                {
                    (limited, next) = (calls[i], found);
                }
            }
        }

        if (limited is null || next is null)
        {
            return calls.Any(c => c.StatusCode == 429)
                ? new(id, title, NotExercised, "A 429 was answered but the app never called that route again, so its waiting could not be seen.", [])
                : new(id, title, NotExercised, "No 429 was answered. Send x-sandbox-simulate: rate-limit to get one.", []);
        }

        var waited = next.Timestamp - limited.Timestamp;
        var needed = TimeSpan.FromSeconds(limited.RetryAfterSeconds!.Value);
        ReadinessEvidence[] evidence =
        [
            Evidence(limited, $"{Describe(limited)}: 429, Retry-After {limited.RetryAfterSeconds} s"),
            Evidence(next, $"{Describe(next)}: next call to the route, {Seconds(waited)} later"),
        ];
        return waited >= needed
            ? new(id, title, Passed, $"After a 429 with Retry-After {limited.RetryAfterSeconds} s the app waited {Seconds(waited)} before calling the route again.", evidence)
            : new(id, title, Failed, $"After a 429 with Retry-After {limited.RetryAfterSeconds} s the app called the route again after only {Seconds(waited)}.", evidence);
    }

    public static ReadinessCheck IdempotentRetry(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "idempotent-retry", title = "Retries a POST with the same x-idempotency-key";
        var posts = calls.Where(c => c.Method == "POST").ToList();
        ReadinessCheck? verdict = null;
        for (var i = 0; i < posts.Count; i++)
        {
            var call = posts[i];
            // A repeat of an earlier POST with the same key on the same route.
            var original = call.IdempotencyKey is null ? null
                : posts.Take(i).LastOrDefault(p => p.IdempotencyKey == call.IdempotencyKey && p.RouteTemplate == call.RouteTemplate);
            if (original is not null && call.StatusCode is >= 200 and < 300)
            {
                var same = original.StatusCode is not (>= 200 and < 300) || original.ConsentId is null || call.ConsentId is null
                    || original.ConsentId == call.ConsentId;
                verdict = new(id, title, same ? Passed : Failed,
                    same
                        ? $"A POST to {call.RouteTemplate} was repeated with the same key and answered {call.StatusCode} with the same resource."
                        : $"A POST to {call.RouteTemplate} was repeated with the same key but got another resource ({call.ConsentId}, first {original.ConsentId}).",
                    [Evidence(original, $"{Describe(original)}: {original.StatusCode}, key {original.IdempotencyKey}"),
                        Evidence(call, $"{Describe(call)}: repeated with the same key, {call.StatusCode}")]);
                continue;
            }

            // A retry after a failure that changed the key: a live bank would take it as a new payment or consent.
            var failed = i > 0 ? posts.Take(i).LastOrDefault(p => p.RouteTemplate == call.RouteTemplate
                && (p.StatusCode >= 500 || p.StatusCode is 429 or 499) && call.Timestamp - p.Timestamp <= RetryWindow) : null;
            if (failed is not null && failed.IdempotencyKey is not null && call.IdempotencyKey != failed.IdempotencyKey)
            {
                verdict = new(id, title, Failed,
                    $"After a {failed.StatusCode} the app retried the POST to {call.RouteTemplate} with {(call.IdempotencyKey is null ? "no" : "a different")} x-idempotency-key: a live bank may act on it twice.",
                    [Evidence(failed, $"{Describe(failed)}: {failed.StatusCode}, key {failed.IdempotencyKey}"),
                        Evidence(call, $"{Describe(call)}: retried with {(call.IdempotencyKey is null ? "no key" : "key " + call.IdempotencyKey)}")]);
            }
        }

        return verdict ?? new(id, title, NotExercised,
            "No POST was repeated with the same key. Retry a consent or payment POST (after a simulated 500, say) with the key of the first try.", []);
    }

    public static ReadinessCheck ServerErrorBackoff(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "server-error-backoff", title = "Backs off after a 5xx";
        var index = -1;
        for (var i = calls.Count - 1; i >= 0 && index < 0; i--)
        {
            if (calls[i].StatusCode >= 500)
            {
                index = i;
            }
        }

        // Back to the start of that run of 5xx answers on the route (a retry that failed again is part of it).
        while (index > 0 && PreviousOnRoute(calls, index) is { } earlier && earlier.StatusCode >= 500
            && calls[index].Timestamp - earlier.Timestamp <= RetryWindow)
        {
            index = IndexOf(calls, earlier, index);
        }

        if (index < 0)
        {
            return new(id, title, NotExercised, "No 5xx was answered. Send x-sandbox-simulate: server-error (or unavailable) to get one.", []);
        }

        var failure = calls[index];
        var retries = new List<ReadinessCall>();
        for (var i = index + 1; i < calls.Count && calls[i].Timestamp - failure.Timestamp <= RetryWindow; i++)
        {
            if (calls[i].RouteTemplate == failure.RouteTemplate)
            {
                retries.Add(calls[i]);
                if (calls[i].StatusCode < 500)
                {
                    break;
                }
            }
        }

        var evidence = new List<ReadinessEvidence> { Evidence(failure, $"{Describe(failure)}: {failure.StatusCode}") };
        if (retries.Count == 0)
        {
            return new(id, title, Passed, $"After a {failure.StatusCode} on {failure.RouteTemplate} the app did not retry at once.", evidence);
        }

        var waits = new List<TimeSpan>();
        var previous = failure;
        foreach (var retry in retries)
        {
            waits.Add(retry.Timestamp - previous.Timestamp);
            previous = retry;
        }

        evidence.AddRange(retries.Take(MaxEvidence - 1).Select((r, i) => Evidence(r, $"{Describe(r)}: retry after {Seconds(waits[i])}, {r.StatusCode}")));
        var burst = retries.Count(r => r.Timestamp - failure.Timestamp < TimeSpan.FromSeconds(1));
        if (burst >= 3)
        {
            return new(id, title, Failed, $"After a {failure.StatusCode} on {failure.RouteTemplate} the app retried {burst} times within a second.", evidence);
        }

        var minimum = TimeSpan.FromSeconds(Math.Max(1, failure.StatusCode == 503 ? failure.RetryAfterSeconds ?? 1 : 1));
        if (waits[0] < minimum)
        {
            return new(id, title, Failed, $"After a {failure.StatusCode} on {failure.RouteTemplate} the app retried after {Seconds(waits[0])}; wait at least {Seconds(minimum)}.", evidence);
        }

        for (var i = 1; i < waits.Count; i++)
        {
            // A little jitter is fine; a shrinking wait is not backing off.
            if (waits[i] < waits[i - 1] * 0.9)
            {
                return new(id, title, Failed, $"After a {failure.StatusCode} on {failure.RouteTemplate} the app's waits between retries shrank ({Seconds(waits[i - 1])}, then {Seconds(waits[i])}).", evidence);
            }
        }

        return new(id, title, Passed, $"After a {failure.StatusCode} on {failure.RouteTemplate} the app waited {string.Join(", then ", waits.Select(Seconds))} before retrying.", evidence);
    }

    public static ReadinessCheck SignedRequests(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "signed-requests", title = "Signs requests (x-jws-signature) where the API takes them";
        var latest = calls.LastOrDefault(c => c.Method == "POST" && (c.Signed is not null || IsRule(c, "signature.")));
        if (latest is null)
        {
            return new(id, title, NotExercised, "No POST to a route that takes x-jws-signature (payment consents, payments).", []);
        }

        var evidence = new[] { Evidence(latest, $"{Describe(latest)}: {(latest.Signed == true ? "signed and verified" : IsRule(latest, "signature.") ? "refused: " + latest.RefusalRule : "not signed")}") };
        if (IsRule(latest, "signature."))
        {
            return new(id, title, Failed, $"The latest signed-route POST was refused: {latest.RefusalRule}.", evidence);
        }

        if (latest.Signed == true)
        {
            return new(id, title, Passed, "The latest POST on a signing route was signed and the signature verified.", evidence);
        }

        return calls.Any(c => c.Signed == true)
            ? new(id, title, Failed, "The app signed earlier requests but its latest POST on a signing route was not signed.", evidence)
            : new(id, title, NotRequired, "The app does not sign its requests; that passes only while it does not require signed requests (a live bank will).", evidence);
    }

    public static ReadinessCheck Dpop(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "dpop", title = "DPoP-bound tokens with valid proofs";
        var latest = calls.LastOrDefault(c => c.DpopBound || IsRule(c, "dpop."));
        if (latest is null)
        {
            return new(id, title, NotRequired, "The app never used DPoP; that passes while it does not require DPoP-bound tokens.", []);
        }

        var evidence = new[] { Evidence(latest, $"{Describe(latest)}: {(IsRule(latest, "dpop.") ? "refused: " + latest.RefusalRule : "DPoP proof verified")}") };
        return IsRule(latest, "dpop.")
            ? new(id, title, Failed, $"The latest DPoP call was refused: {latest.RefusalRule}.", evidence)
            : new(id, title, Passed, "The latest DPoP-bound call's proof verified.", evidence);
    }

    public static ReadinessCheck InteractionId(IReadOnlyList<ReadinessCall> calls)
    {
        const string id = "interaction-id", title = "Sends x-fapi-interaction-id";
        var bank = calls.Where(c => c.InteractionIdSent is not null).ToList();
        if (bank.Count == 0)
        {
            return new(id, title, NotExercised, "No bank-API calls yet.", []);
        }

        var sent = bank.Count(c => c.InteractionIdSent == true);
        var share = (double)sent / bank.Count;
        var missing = bank.Where(c => c.InteractionIdSent == false).TakeLast(MaxEvidence)
            .Select(c => Evidence(c, $"{Describe(c)}: no x-fapi-interaction-id")).ToList();
        var percent = share.ToString("P0", CultureInfo.InvariantCulture);
        return share >= 0.95
            ? new(id, title, Passed, $"{sent} of {bank.Count} bank-API calls ({percent}) carried the app's own x-fapi-interaction-id.", missing)
            : new(id, title, Failed, $"Only {sent} of {bank.Count} bank-API calls ({percent}) carried the app's own x-fapi-interaction-id; send one (a UUID) on every call.", missing);
    }

    private static bool IsConsentRefusal(ReadinessCall call)
        => IsRule(call, RefusalRules.ConsentPrefix) || call.ErrorCode is "UK.OBIE.Resource.InvalidConsentStatus" or "U009";

    private static bool IsRule(ReadinessCall call, string prefix) => call.RefusalRule?.StartsWith(prefix, StringComparison.Ordinal) == true;

    private static ReadinessCall? NextOnRoute(IReadOnlyList<ReadinessCall> calls, int index)
    {
        for (var i = index + 1; i < calls.Count; i++)
        {
            if (calls[i].RouteTemplate == calls[index].RouteTemplate)
            {
                return calls[i];
            }
        }

        return null;
    }

    private static int IndexOf(IReadOnlyList<ReadinessCall> calls, ReadinessCall call, int before)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            if (ReferenceEquals(calls[i], call))
            {
                return i;
            }
        }

        return -1;
    }

    private static ReadinessCall? PreviousOnRoute(IReadOnlyList<ReadinessCall> calls, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            if (calls[i].RouteTemplate == calls[index].RouteTemplate)
            {
                return calls[i];
            }
        }

        return null;
    }

    private static ReadinessEvidence Evidence(ReadinessCall call, string what) => new(call.Id, new DateTimeOffset(call.Timestamp, TimeSpan.Zero), what);

    private static string Describe(ReadinessCall call) => $"{call.Method} {call.RouteTemplate}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
