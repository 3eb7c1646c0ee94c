using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace OpenBanking.Portal.Platform;

/// <summary>The Gateway's call log (<c>/internal/calls</c>, scope <c>gateway.calls</c>), always for one organisation.</summary>
public sealed class GatewayCallsClient(HttpClient http)
{
    public async Task<CallPage> ListAsync(CallFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var query = Query(filter).Append("&page=").Append(page).Append("&pageSize=").Append(pageSize);
        using var response = await http.GetAsync("internal/calls/" + query, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CallPage>(ct))!;
    }

    /// <summary>One call with its headers, bodies and error; null when it is not this organisation's (or app's), or gone.</summary>
    public async Task<CallDetail?> GetAsync(Guid organisationId, string? clientId, long id, CancellationToken ct)
    {
        var query = Query(new CallFilter(organisationId, clientId));
        using var response = await http.GetAsync($"internal/calls/{id.ToString(CultureInfo.InvariantCulture)}{query}", ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CallDetail>(ct))!;
    }

    public async Task<CallStatistics> StatisticsAsync(CallFilter filter, string bucket, CancellationToken ct)
    {
        var query = Query(filter with { Status = null, Path = null, InteractionId = null }).Append("&bucket=").Append(bucket);
        using var response = await http.GetAsync("internal/calls/stats" + query, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CallStatistics>(ct))!;
    }

    /// <summary>The most frequent spec-lint problems of one app (or the whole organisation) over the last <paramref name="days"/> days.</summary>
    public async Task<IReadOnlyList<ProblemSummary>> ProblemsAsync(Guid organisationId, string? clientId, int days, CancellationToken ct)
    {
        var query = Query(new CallFilter(organisationId, clientId)).Append("&days=").Append(days.ToString(CultureInfo.InvariantCulture));
        using var response = await http.GetAsync("internal/calls/problems" + query, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<IReadOnlyList<ProblemSummary>>(ct))!;
    }

    /// <summary>The call-log half of an app's go-live readiness report, computed from its sandbox traffic now.</summary>
    public async Task<GatewayReadiness> ReadinessAsync(Guid organisationId, string clientId, CancellationToken ct)
    {
        var query = Query(new CallFilter(organisationId));
        using var response = await http.GetAsync($"internal/apps/{Uri.EscapeDataString(clientId)}/readiness{query}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<GatewayReadiness>(ct))!;
    }

    private static StringBuilder Query(CallFilter filter)
    {
        var query = new StringBuilder("?organisationId=").Append(Uri.EscapeDataString(filter.OrganisationId.ToString()));
        Add(query, "clientId", filter.ClientId);
        Add(query, "from", filter.From?.ToString("O", CultureInfo.InvariantCulture));
        Add(query, "to", filter.To?.ToString("O", CultureInfo.InvariantCulture));
        Add(query, "status", filter.Status);
        Add(query, "path", filter.Path);
        Add(query, "interactionId", filter.InteractionId);
        Add(query, "apiVersion", filter.ApiVersion);
        Add(query, "consentId", filter.ConsentId);
        return query;
    }

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
    }
}

/// <summary>What to list; <c>ApiVersion</c> (<c>v3.1.11</c>, <c>v4.0</c>) is the gateway's own version filter.</summary>
public sealed record CallFilter(
    Guid OrganisationId, string? ClientId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Status = null,
    string? Path = null, string? InteractionId = null, string? ApiVersion = null, string? ConsentId = null);

/// <summary>
/// One call as the gateway logged it; <c>ApiVersion</c> (<c>v3.1.11</c>, <c>v4.0</c>) is null for calls outside the bank
/// APIs and for gateways that do not report it. <c>Signed</c>: null when the route takes no signature, else whether a
/// verified <c>x-jws-signature</c> (by <c>SignatureKid</c>) came with it; <c>DpopBound</c>: the token was DPoP-bound and
/// its proof verified (key thumbprint <c>DpopJkt</c>); <c>RefusalRule</c>: the rule a refused call broke (signing, DPoP,
/// scope, rate limit, a simulated fault, or the bank's consent checks). <c>ConsentId</c>: the consent the call used
/// (token claim) or named (path, or the consent a create answered with); <c>IdempotencyKey</c> and
/// <c>RetryAfterSeconds</c> (of a 429/503 answer) as sent; <c>ProblemCount</c>: spec-lint problems found, null while not
/// linted (queued, or sampled out under load).
/// </summary>
public sealed record CallView(
    long Id, DateTimeOffset Timestamp, string? ClientId, string Method, string? RouteTemplate, string Path, int StatusCode,
    double DurationMs, string? InteractionId, string? ErrorCode, long RequestBytes, long ResponseBytes, string? ApiVersion = null,
    bool? Signed = null, string? SignatureKid = null, bool DpopBound = false, string? DpopJkt = null, string? RefusalRule = null,
    string? ConsentId = null, string? IdempotencyKey = null, int? RetryAfterSeconds = null, int? ProblemCount = null);

public sealed record CallHeader(string Name, string Value);

/// <summary>A body as the gateway kept it: real size, first 16 KiB as text (JSON or text only), or why nothing is shown.</summary>
public sealed record CallBody(long Bytes, string? Text, bool Truncated, string? Note);

public sealed record CallDetail(
    CallView Call, string? Query, bool DetailKept, IReadOnlyList<CallHeader> RequestHeaders, IReadOnlyList<CallHeader> ResponseHeaders,
    CallBody RequestBody, CallBody ResponseBody, IReadOnlyList<string> ErrorCodes, string? ErrorMessage,
    IReadOnlyList<CallProblem>? Problems = null, string? RefusalReason = null);

/// <summary>
/// One spec-lint finding: <c>Direction</c> <c>request</c> or <c>response</c>; <c>Rule</c> a stable id
/// (<c>header.missing</c>, <c>schema.pattern</c>, <c>schema.required</c>, <c>schema.enum</c>, <c>schema.maxLength</c>,
/// <c>schema.type</c>, <c>schema.additional</c>, <c>body.invalid-json</c>, …); <c>Path</c> the JSON path in dotted form
/// (<c>Data.Initiation.InstructedAmount.Amount</c>) or the header name; <c>Message</c> the rule in words with the
/// offending value where it is not secret; <c>Severity</c> <c>error</c> (the spec is broken) or <c>warning</c> (allowed,
/// but a live bank will expect otherwise, e.g. no <c>x-fapi-interaction-id</c>).
/// </summary>
public sealed record CallProblem(string Direction, string Rule, string? Path, string Message, string Severity = "error");

/// <summary>How often one problem (rule at a path on an operation) was seen over the period, with the latest example.</summary>
public sealed record ProblemSummary(
    string Rule, string? Path, string Method, string? RouteTemplate, string? ApiVersion, int Count, DateTimeOffset LastSeen,
    long ExampleCallId, string ExampleMessage);

/// <summary>
/// The gateway's half of the readiness report: every operation of both API versions the app could call (<c>Calls</c> 0 =
/// not exercised) and the behaviour checks the call log can judge.
/// </summary>
public sealed record GatewayReadiness(
    DateTimeOffset ComputedAt, DateTimeOffset Since, IReadOnlyList<OperationCoverage> Operations, IReadOnlyList<ReadinessCheck> Checks);

/// <summary>One spec operation (<c>Api</c>: aisp, pisp, cbpii, vrp, events) and how the app used it.</summary>
public sealed record OperationCoverage(
    string Api, string Version, string Method, string RouteTemplate, int Calls, int Succeeded, DateTimeOffset? LastAt);

/// <summary>
/// One behaviour a live bank will test: <c>Status</c> <c>passed</c>, <c>failed</c> or <c>not-exercised</c> (or
/// <c>not-required</c>, e.g. DPoP for an app that does not require it); <c>Detail</c> says what was seen in words.
/// </summary>
public sealed record ReadinessCheck(string Id, string Title, string Status, string Detail, IReadOnlyList<ReadinessEvidence> Evidence);

/// <summary>A call (or another record) that shows a check's verdict.</summary>
public sealed record ReadinessEvidence(long? CallId, DateTimeOffset At, string What);

public sealed record CallPage(IReadOnlyList<CallView> Items, int Page, int PageSize, int Total);

public sealed record CallBucket(DateTimeOffset Start, int Calls, int Errors);

public sealed record EndpointStatistics(string Method, string? RouteTemplate, int Calls, double ErrorRate, double P50Ms, double P95Ms);

public sealed record CallStatistics(
    DateTimeOffset From, DateTimeOffset To, string Bucket, int Calls, int Errors, double ErrorRate, bool Truncated,
    IReadOnlyList<CallBucket> Series, IReadOnlyList<EndpointStatistics> Endpoints, long DroppedRecords);
