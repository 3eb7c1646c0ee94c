using System.Globalization;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>The report's overall answer: ready, not ready (a check failed), or not yet shown (evidence missing).</summary>
public enum ReadinessLevel
{
    Ready,
    Incomplete,
    NotReady,
}

/// <summary>
/// An app's go-live readiness: which operations of each API it exercised in both versions, and whether it handled what a
/// live bank will throw at it, each check with its evidence. Serialized as it stands into a production-access request.
/// </summary>
public sealed record ReadinessReport(
    string ClientId, string AppName, DateTimeOffset ComputedAt, DateTimeOffset Since, ReadinessLevel Level, string Verdict,
    IReadOnlyList<ReadinessCheck> Checks, IReadOnlyList<CoverageRow> Coverage, IReadOnlyList<CoverageSummary> CoverageByApi,
    IReadOnlyList<string> SourceProblems)
{
    public IEnumerable<ReadinessCheck> Failed => Checks.Where(c => c.Status == ReadinessStatus.Failed);
}

/// <summary>One operation (method and route, without the version segment) and how the app used it in each version.</summary>
public sealed record CoverageRow(string Api, string Method, string Route, IReadOnlyDictionary<string, OperationCoverage> ByVersion);

/// <summary>Per API and version: how many of its operations the app called at least once.</summary>
public sealed record CoverageSummary(string Api, string Version, int Exercised, int Total);

/// <summary>The statuses a check can have (the gateway's, plus <c>unavailable</c> when its source did not answer).</summary>
public static class ReadinessStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string NotExercised = "not-exercised";
    public const string NotRequired = "not-required";
    public const string Unavailable = "unavailable";
}

/// <summary>
/// What the app's own settings demand, and what the other services said (null = that source failed, with the reason in
/// the matching error). The inputs of <see cref="ReadinessComposer.Compose"/>.
/// </summary>
public sealed record ReadinessInputs(
    string ClientId, string AppName, bool RequireSignedRequests, bool RequireDpop, DateTimeOffset Now, DateTimeOffset Since,
    GatewayReadiness? Gateway, string? GatewayError,
    TokenActivity? Tokens, string? TokensError,
    IReadOnlyList<EventNotificationSummary>? Events, string? EventsError);

/// <summary>
/// Turns the gateway's checks, Identity's token activity and the Sandbox's event deliveries into one report. Pure: the
/// same inputs give the same report (unit tested).
/// </summary>
public static class ReadinessComposer
{
    public const string TokenRefresh = "token-refresh";
    public const string EventsAcknowledged = "events-acknowledged";
    public const string SignedRequests = "signed-requests";
    public const string Dpop = "dpop";

    /// <summary>The gateway's checks in the order the report shows them, with a title when the gateway gave none.</summary>
    public static readonly IReadOnlyList<(string Id, string Title)> GatewayChecks =
    [
        ("consent-refusal-handled", "Expired or revoked consent handled"),
        ("rate-limit-respected", "429 Retry-After respected"),
        ("idempotent-retry", "Idempotent retry with the same key"),
        ("server-error-backoff", "5xx answered with backoff"),
        (SignedRequests, "Signed requests"),
        (Dpop, "DPoP-bound tokens"),
        ("interaction-id", "x-fapi-interaction-id on every call"),
    ];

    /// <summary>A push notification not acknowledged this long after it was created counts against the app.</summary>
    public static readonly TimeSpan AcknowledgementGrace = TimeSpan.FromHours(1);

    public static ReadinessReport Compose(ReadinessInputs inputs)
    {
        var problems = new List<string>();
        var checks = new List<ReadinessCheck>();

        if (inputs.Gateway is null)
        {
            problems.Add($"The gateway's call log did not answer ({inputs.GatewayError ?? "no answer"}): operations and call-based checks are not shown.");
        }

        foreach (var (id, title) in GatewayChecks)
        {
            var check = inputs.Gateway?.Checks.FirstOrDefault(c => c.Id == id)
                ?? new ReadinessCheck(id, title,
                    inputs.Gateway is null ? ReadinessStatus.Unavailable : ReadinessStatus.NotExercised,
                    inputs.Gateway is null ? "The gateway's call log could not be read." : "The gateway reported no evidence for this check.", []);
            checks.Add(ApplySettings(check, inputs));
        }

        // Checks the gateway added that the Portal does not know yet are shown as they are.
        checks.AddRange(inputs.Gateway?.Checks.Where(c => GatewayChecks.All(g => g.Id != c.Id)) ?? []);

        checks.Add(TokenRefreshCheck(inputs, problems));
        checks.Add(EventsCheck(inputs, problems));

        var (coverage, summaries) = Coverage(inputs.Gateway?.Operations ?? []);
        var (level, verdict) = Verdict(checks, summaries, problems.Count > 0);
        return new ReadinessReport(inputs.ClientId, inputs.AppName, inputs.Now, inputs.Since, level, verdict, checks, coverage, summaries, problems);
    }

    /// <summary>
    /// An app that requires signed requests or DPoP promised the bank it uses them: without evidence that check fails
    /// rather than being skipped; an app that does not require them is not judged on them unless it used them.
    /// </summary>
    private static ReadinessCheck ApplySettings(ReadinessCheck check, ReadinessInputs inputs)
    {
        var required = check.Id switch
        {
            SignedRequests => inputs.RequireSignedRequests,
            Dpop => inputs.RequireDpop,
            _ => (bool?)null,
        };
        if (required is null || check.Status is ReadinessStatus.Passed or ReadinessStatus.Failed or ReadinessStatus.Unavailable)
        {
            return check;
        }

        var what = check.Id == SignedRequests ? "signed requests" : "DPoP-bound tokens";
        return required.Value
            ? check with { Status = ReadinessStatus.Failed, Detail = $"The app requires {what}, but none were seen in its sandbox traffic. {check.Detail}".Trim() }
            : check with { Status = ReadinessStatus.NotRequired, Detail = $"The app does not require {what}. {check.Detail}".Trim() };
    }

    private static ReadinessCheck TokenRefreshCheck(ReadinessInputs inputs, List<string> problems)
    {
        const string title = "Token refresh";
        if (inputs.Tokens is not { } tokens)
        {
            problems.Add($"Identity's token activity did not answer ({inputs.TokensError ?? "no answer"}): the token-refresh check is not shown.");
            return new ReadinessCheck(TokenRefresh, title, ReadinessStatus.Unavailable, "Identity could not be asked about the app's token use.", []);
        }

        if (tokens.Refreshes > 0)
        {
            return new ReadinessCheck(TokenRefresh, title, ReadinessStatus.Passed,
                $"{Count(tokens.Refreshes, "refresh-token grant")} since {Day(inputs.Since)}: the app renews access without sending the customer back to the bank.",
                tokens.LastRefreshAt is { } at ? [new ReadinessEvidence(null, at, "Latest refresh-token grant at the token endpoint")] : []);
        }

        return new ReadinessCheck(TokenRefresh, title, ReadinessStatus.NotExercised,
            tokens.CodeExchanges > 0
                ? $"{Count(tokens.CodeExchanges, "authorization code")} exchanged, but no refresh-token grant: access tokens last 5 minutes, so refresh one before it expires."
                : "No authorization code was exchanged yet, so there was nothing to refresh.",
            tokens.LastCodeExchangeAt is { } exchanged ? [new ReadinessEvidence(null, exchanged, "Latest authorization-code exchange")] : []);
    }

    private static ReadinessCheck EventsCheck(ReadinessInputs inputs, List<string> problems)
    {
        const string title = "Event notifications acknowledged";
        if (inputs.Events is not { } events)
        {
            problems.Add($"The sandbox's event log did not answer ({inputs.EventsError ?? "no answer"}): the events check is not shown.");
            return new ReadinessCheck(EventsAcknowledged, title, ReadinessStatus.Unavailable, "The sandbox's event log could not be read.", []);
        }

        var real = events.Where(e => !e.IsTest && e.CreatedAt >= inputs.Since).ToList();
        if (real.Count == 0)
        {
            return new ReadinessCheck(EventsAcknowledged, title, ReadinessStatus.NotExercised,
                "No event notification was sent to the app yet (subscribe, then change a consent or a payment).", []);
        }

        // Delivered = the callback answered 2xx (a push acknowledgement); Acknowledged = acknowledged by polling.
        var acknowledged = real.Where(e => e.State is "Delivered" or "Acknowledged").ToList();
        var failing = real.Where(e => e.State == "Failed"
                || (e.State is "PollingOnly" or "Pending" && e.AcknowledgedAt is null && inputs.Now - e.CreatedAt > AcknowledgementGrace))
            .OrderByDescending(e => e.CreatedAt).ToList();
        var evidence = failing.Concat(acknowledged.OrderByDescending(e => e.CreatedAt)).Take(5)
            .Select(e => new ReadinessEvidence(null, e.AcknowledgedAt ?? e.LastAttemptAt ?? e.CreatedAt,
                $"{e.EventType} for {e.ResourceId}: {Describe(e)}")).ToList();
        if (failing.Count > 0)
        {
            return new ReadinessCheck(EventsAcknowledged, title, ReadinessStatus.Failed,
                $"{Count(failing.Count, "notification")} of {real.Count} left failing or unacknowledged for more than an hour; a live bank stops delivering to an app that does not acknowledge.",
                evidence);
        }

        return acknowledged.Count > 0
            ? new ReadinessCheck(EventsAcknowledged, title, ReadinessStatus.Passed,
                $"{Count(acknowledged.Count, "notification")} of {real.Count} acknowledged; none left failing.", evidence)
            : new ReadinessCheck(EventsAcknowledged, title, ReadinessStatus.NotExercised,
                $"{Count(real.Count, "notification")} still waiting for a first delivery or acknowledgement.", evidence);
    }

    private static string Describe(EventNotificationSummary e) => e.State switch
    {
        "Delivered" => $"delivered, the callback answered {e.LastStatusCode}",
        "Acknowledged" => "acknowledged by polling",
        "Failed" => $"delivery failed after {Count(e.Attempts, "attempt")}{(e.LastError is { } error ? $" ({error})" : e.LastStatusCode is { } code ? $" (last answer {code})" : "")}",
        "PollingOnly" => "waiting to be polled and acknowledged",
        _ => $"pending after {Count(e.Attempts, "attempt")}",
    };

    /// <summary>Operations by API and route, one column per version (the version segment removed so both line up).</summary>
    private static (IReadOnlyList<CoverageRow>, IReadOnlyList<CoverageSummary>) Coverage(IReadOnlyList<OperationCoverage> operations)
    {
        var rows = operations
            .GroupBy(o => (o.Api, o.Method, Route: WithoutVersion(o.RouteTemplate, o.Version)))
            .Select(g => new CoverageRow(g.Key.Api, g.Key.Method, g.Key.Route,
                g.GroupBy(o => o.Version).ToDictionary(v => v.Key, v => v.First(), StringComparer.Ordinal)))
            .OrderBy(r => r.Api, StringComparer.Ordinal).ThenBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
        var summaries = operations.GroupBy(o => (o.Api, o.Version))
            .Select(g => new CoverageSummary(g.Key.Api, g.Key.Version, g.Count(o => o.Calls > 0), g.Count()))
            .OrderBy(s => s.Api, StringComparer.Ordinal).ThenBy(s => s.Version, StringComparer.Ordinal)
            .ToList();
        return (rows, summaries);
    }

    /// <summary><c>/open-banking/v4.0/aisp/accounts</c> → <c>/aisp/accounts</c> (also for <c>v3.1</c> / <c>v3.1.11</c> segments).</summary>
    public static string WithoutVersion(string route, string version)
    {
        var parts = route.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count > 1 && parts[0] == "open-banking" && parts[1].StartsWith('v'))
        {
            parts.RemoveRange(0, 2);
        }
        else
        {
            parts.RemoveAll(p => p == version);
        }

        return "/" + string.Join('/', parts);
    }

    private static (ReadinessLevel, string) Verdict(IReadOnlyList<ReadinessCheck> checks, IReadOnlyList<CoverageSummary> coverage, bool sourcesMissing)
    {
        var failed = checks.Where(c => c.Status == ReadinessStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            return (ReadinessLevel.NotReady,
                $"Not ready: {Count(failed.Count, "check")} failed ({string.Join(", ", failed.Select(c => c.Title))}). Fix {(failed.Count == 1 ? "it" : "them")} in the sandbox; the report follows your traffic.");
        }

        var open = checks.Where(c => c.Status is ReadinessStatus.NotExercised or ReadinessStatus.Unavailable).ToList();
        var exercised = coverage.Sum(c => c.Exercised);
        if (open.Count > 0 || exercised == 0)
        {
            var parts = new List<string>();
            if (open.Count > 0)
            {
                parts.Add($"{Count(open.Count, "check")} still {(open.Count == 1 ? "has" : "have")} no evidence ({string.Join(", ", open.Select(c => c.Title))})");
            }

            if (exercised == 0)
            {
                parts.Add("no operation was called yet");
            }

            return (ReadinessLevel.Incomplete,
                $"Not yet shown: {string.Join("; ", parts)}.{(sourcesMissing ? " Some sources did not answer; reload in a moment." : " Exercise them in the sandbox; the report follows your traffic.")}");
        }

        return (ReadinessLevel.Ready, $"Ready: every check passed and {Count(exercised, "operation")} {(exercised == 1 ? "was" : "were")} exercised.");
    }

    private static string Count(int n, string what) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} {what}{(n == 1 ? "" : "s")}";

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
