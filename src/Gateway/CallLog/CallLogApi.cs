using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Gateway.Security;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// The Portal's view of a partner's calls (internal scope <c>gateway.calls</c>, audience <c>gateway</c>): one
/// organisation's — or one app's — calls with filters and paging, and aggregates per time bucket and per endpoint.
/// The organisation is required, so no query ever spans partners; the Portal passes the signed-in partner's own.
/// Each call and endpoint carries its <c>ApiVersion</c> (<c>v3.1.11</c>, <c>v4.0</c>, or null), read from its path.
/// </summary>
public static class CallLogApi
{
    private const int MaxPageSize = 200;
    private const int MaxRowsForStatistics = 200_000;

    public static RouteGroupBuilder MapCallLogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/calls")
            .WithTags("Call log")
            .RequireAuthorization(GatewayPolicies.CallLog);
        group.MapGet("/", ListAsync).WithName("ListCalls").WithSummary("An organisation's (or app's) calls, newest first");
        group.MapGet("/{id:long}", GetAsync).WithName("GetCall")
            .WithSummary("One call of the organisation (or app) with its headers, bodies and error; 404 for anyone else's");
        group.MapGet("/problems", ProblemsAsync).WithName("CallProblems")
            .WithSummary("The most frequent spec-lint problems of an organisation (or app) over the last days, with the latest example");
        group.MapGet("/stats", StatisticsAsync).WithName("CallStatistics").WithSummary("Calls per minute or hour, error rate and latency percentiles per endpoint");
        return group;
    }

    public sealed record CallQuery(
        string? OrganisationId, string? ClientId, DateTimeOffset? From, DateTimeOffset? To, string? Status, string? Path,
        string? InteractionId, int? Page, int? PageSize, string? ApiVersion = null, string? ConsentId = null);

    /// <summary>
    /// One call. <c>ApiVersion</c> is the Open Banking version it addressed — <c>v3.1.11</c> or <c>v4.0</c> — derived from
    /// its path when read (the path is stored, so no column is needed), null for a path of neither. <c>ConsentId</c> is the
    /// consent the call used or named, <c>RetryAfterSeconds</c> a 429/503's Retry-After, <c>ProblemCount</c> the spec-lint
    /// problems found (null while not linted).
    /// </summary>
    public sealed record CallView(
        long Id, DateTimeOffset Timestamp, string? ClientId, string Method, string? RouteTemplate, string Path, int StatusCode,
        double DurationMs, string? InteractionId, string? ErrorCode, long RequestBytes, long ResponseBytes, string? ApiVersion,
        bool? Signed = null, string? SignatureKid = null, bool DpopBound = false, string? DpopJkt = null, string? RefusalRule = null,
        string? ConsentId = null, string? IdempotencyKey = null, int? RetryAfterSeconds = null, int? ProblemCount = null);

    public sealed record CallPage(IReadOnlyList<CallView> Items, int Page, int PageSize, int Total);

    public static async Task<Results<Ok<CallPage>, ValidationProblem>> ListAsync(
        [AsParameters] CallQuery query, GatewayDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(query, clock, out var filter);
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? 50;
        if (page < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var calls = Filter(db.ApiCalls.AsNoTracking(), filter);
        var total = await calls.CountAsync(ct);
        var items = await calls.OrderByDescending(c => c.Timestamp).ThenByDescending(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CallView(c.Id, new DateTimeOffset(c.Timestamp, TimeSpan.Zero), c.ClientId, c.Method, c.RouteTemplate, c.Path,
                c.StatusCode, c.DurationMicroseconds / 1000.0, c.InteractionId, c.ErrorCode, c.RequestBytes, c.ResponseBytes, ApiVersions.Of(c.Path),
                c.Signed, c.SignatureKid, c.DpopBound, c.DpopJkt, c.RefusalRule, c.ConsentId, c.IdempotencyKey, c.RetryAfterSeconds, c.ProblemCount))
            .ToListAsync(ct);
        return TypedResults.Ok(new CallPage(items, page, pageSize, total));
    }

    public sealed record CallDetailQuery(string? OrganisationId, string? ClientId);

    public sealed record HeaderView(string Name, string Value);

    /// <summary>A body as kept: its real size, its first bytes as text (JSON or text only), or a note why none is shown.</summary>
    public sealed record BodyView(long Bytes, string? Text, bool Truncated, string? Note);

    /// <summary>
    /// One call with what it carried. <c>DetailKept</c> is false when only the call's row is left (details are kept for
    /// fewer days than calls, and calls logged before details existed have none).
    /// </summary>
    public sealed record CallDetailView(
        CallView Call, string? Query, bool DetailKept, IReadOnlyList<HeaderView> RequestHeaders, IReadOnlyList<HeaderView> ResponseHeaders,
        BodyView RequestBody, BodyView ResponseBody, IReadOnlyList<string> ErrorCodes, string? ErrorMessage,
        IReadOnlyList<CallProblemView> Problems, string? RefusalReason);

    /// <summary>One spec-lint finding of a call (<c>Direction</c> request|response, <c>Severity</c> error|warning).</summary>
    public sealed record CallProblemView(string Direction, string Rule, string? Path, string Message, string Severity);

    public static async Task<Results<Ok<CallDetailView>, NotFound, ValidationProblem>> GetAsync(
        long id, [AsParameters] CallDetailQuery query, GatewayDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.OrganisationId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["organisationId"] = ["organisationId is required: a call is shown only to its own organisation."],
            });
        }

        // Another organisation's call (or app's, when one is named) is not found, as one that does not exist.
        var organisationId = query.OrganisationId.Trim();
        var clientId = string.IsNullOrWhiteSpace(query.ClientId) ? null : query.ClientId.Trim();
        var row = await db.ApiCalls.AsNoTracking()
            .Where(c => c.Id == id && c.OrganisationId == organisationId && (clientId == null || c.ClientId == clientId))
            .Select(c => new { Call = c, Detail = db.ApiCallDetails.FirstOrDefault(d => d.CallId == c.Id) })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var c = row.Call;
        var d = row.Detail;
        var call = new CallView(c.Id, new DateTimeOffset(c.Timestamp, TimeSpan.Zero), c.ClientId, c.Method, c.RouteTemplate, c.Path,
            c.StatusCode, c.DurationMicroseconds / 1000.0, c.InteractionId, c.ErrorCode, c.RequestBytes, c.ResponseBytes, ApiVersions.Of(c.Path),
            c.Signed, c.SignatureKid, c.DpopBound, c.DpopJkt, c.RefusalRule, c.ConsentId, c.IdempotencyKey, c.RetryAfterSeconds, c.ProblemCount);
        var problems = await db.ApiCallProblems.AsNoTracking().Where(p => p.CallId == c.Id).OrderBy(p => p.Id)
            .Select(p => new CallProblemView(p.Direction, p.Rule, p.Path, p.Message, p.Severity))
            .ToListAsync(ct);
        var errorCodes = d?.ErrorCodes?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? (c.ErrorCode is null ? [] : [c.ErrorCode]);
        return TypedResults.Ok(new CallDetailView(call, d?.Query, d is not null, Headers(d?.RequestHeaders), Headers(d?.ResponseHeaders),
            new BodyView(c.RequestBytes, d?.RequestBody, d?.RequestBodyTruncated ?? false, d?.RequestBodyNote),
            new BodyView(c.ResponseBytes, d?.ResponseBody, d?.ResponseBodyTruncated ?? false, d?.ResponseBodyNote),
            errorCodes, d?.ErrorMessage, problems, c.RefusalReason));
    }

    private static List<HeaderView> Headers(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var pairs = System.Text.Json.JsonSerializer.Deserialize<string[][]>(json) ?? [];
        return [.. pairs.Where(p => p.Length == 2).Select(p => new HeaderView(p[0], p[1]))];
    }

    public sealed record ProblemsQuery(string? OrganisationId, string? ClientId, int? Days);

    /// <summary>One problem (rule at a path of an operation) and how often it was seen, with the latest call that had it.</summary>
    public sealed record ProblemSummary(
        string Rule, string? Path, string Method, string? RouteTemplate, string? ApiVersion, int Count, DateTimeOffset LastSeen,
        long ExampleCallId, string ExampleMessage);

    private const int MaxProblemRows = 100_000;

    public static async Task<Results<Ok<List<ProblemSummary>>, ValidationProblem>> ProblemsAsync(
        [AsParameters] ProblemsQuery query, GatewayDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(query.OrganisationId))
        {
            errors["organisationId"] = ["organisationId is required: a query never spans organisations."];
        }

        var days = query.Days ?? 7;
        if (days is < 1 or > 30)
        {
            errors["days"] = ["days is between 1 and 30."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var organisationId = query.OrganisationId!.Trim();
        var clientId = string.IsNullOrWhiteSpace(query.ClientId) ? null : query.ClientId.Trim();
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        var problems = db.ApiCallProblems.AsNoTracking().Where(p => p.OrganisationId == organisationId && p.Timestamp >= since);
        if (clientId is not null)
        {
            problems = problems.Where(p => p.ClientId == clientId);
        }

        // Grouped here rather than in SQL: the latest example per group is awkward in both providers' SQL and the rows are narrow.
        var rows = await problems.OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Id).Take(MaxProblemRows)
            .Select(p => new { p.Rule, p.Path, p.Method, p.RouteTemplate, p.ApiVersion, p.Timestamp, p.CallId, p.Message })
            .ToListAsync(ct);
        var summary = rows
            .GroupBy(p => (p.Rule, p.Path, p.Method, p.RouteTemplate, p.ApiVersion))
            .Select(g => new ProblemSummary(g.Key.Rule, g.Key.Path, g.Key.Method, g.Key.RouteTemplate, g.Key.ApiVersion, g.Count(),
                new DateTimeOffset(g.First().Timestamp, TimeSpan.Zero), g.First().CallId, g.First().Message))
            .OrderByDescending(p => p.Count).ThenByDescending(p => p.LastSeen)
            .Take(20)
            .ToList();
        return TypedResults.Ok(summary);
    }

    public sealed record StatisticsQuery(
        string? OrganisationId, string? ClientId, DateTimeOffset? From, DateTimeOffset? To, string? Bucket, string? ApiVersion = null);

    public sealed record Bucket(DateTimeOffset Start, int Calls, int Errors);

    public sealed record EndpointStatistics(
        string Method, string? RouteTemplate, int Calls, double ErrorRate, double P50Ms, double P95Ms, string? ApiVersion);

    public sealed record CallStatistics(
        DateTimeOffset From, DateTimeOffset To, string Bucket, int Calls, int Errors, double ErrorRate, bool Truncated,
        IReadOnlyList<Bucket> Series, IReadOnlyList<EndpointStatistics> Endpoints, long DroppedRecords);

    public static async Task<Results<Ok<CallStatistics>, ValidationProblem>> StatisticsAsync(
        [AsParameters] StatisticsQuery query, GatewayDbContext db, TimeProvider clock, CallRecorder recorder, CancellationToken ct)
    {
        var bucket = query.Bucket ?? "hour";
        var width = bucket switch { "minute" => TimeSpan.FromMinutes(1), "hour" => TimeSpan.FromHours(1), _ => TimeSpan.Zero };
        var defaultWindow = bucket == "minute" ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var errors = Validate(new CallQuery(query.OrganisationId, query.ClientId, query.From ?? clock.GetUtcNow() - defaultWindow, query.To,
            null, null, null, null, null, query.ApiVersion), clock, out var filter);
        if (width == TimeSpan.Zero)
        {
            errors["bucket"] = ["bucket is minute or hour."];
        }
        else if ((filter.To - filter.From) / width > 10_000)
        {
            errors["from"] = ["The range is too long for this bucket; use hour buckets or a shorter range."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await Filter(db.ApiCalls.AsNoTracking(), filter)
            .OrderByDescending(c => c.Timestamp)
            .Take(MaxRowsForStatistics + 1)
            .Select(c => new { c.Timestamp, c.StatusCode, c.DurationMicroseconds, c.Method, c.RouteTemplate })
            .ToListAsync(ct);
        var truncated = rows.Count > MaxRowsForStatistics;
        if (truncated)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var from = filter.From;
        var series = rows
            .GroupBy(r => from + width * Math.Floor((new DateTimeOffset(r.Timestamp, TimeSpan.Zero) - from) / width))
            .OrderBy(g => g.Key)
            .Select(g => new Bucket(g.Key, g.Count(), g.Count(r => r.StatusCode >= 400)))
            .ToList();
        var endpoints = rows
            .GroupBy(r => (r.Method, r.RouteTemplate))
            .Select(g =>
            {
                var durations = g.Select(r => r.DurationMicroseconds).Order().ToArray();
                return new EndpointStatistics(g.Key.Method, g.Key.RouteTemplate, durations.Length,
                    Math.Round((double)g.Count(r => r.StatusCode >= 400) / durations.Length, 4),
                    Percentile(durations, 0.50), Percentile(durations, 0.95), ApiVersions.Of(g.Key.RouteTemplate));
            })
            .OrderByDescending(e => e.Calls)
            .ToList();
        var failed = rows.Count(r => r.StatusCode >= 400);
        return TypedResults.Ok(new CallStatistics(filter.From, filter.To, bucket, rows.Count, failed,
            rows.Count == 0 ? 0 : Math.Round((double)failed / rows.Count, 4), truncated, series, endpoints, recorder.Dropped));
    }

    private sealed record Filters(string OrganisationId, string? ClientId, DateTimeOffset From, DateTimeOffset To, int? StatusFrom, int? StatusTo,
        string? Path, string? InteractionId, string? BasePath, string? ConsentId = null);

    private static Dictionary<string, string[]> Validate(CallQuery query, TimeProvider clock, out Filters filter)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(query.OrganisationId))
        {
            errors["organisationId"] = ["organisationId is required: a query never spans organisations."];
        }

        var to = query.To ?? clock.GetUtcNow();
        var from = query.From ?? to - TimeSpan.FromDays(7);
        if (from >= to)
        {
            errors["from"] = ["from must be before to."];
        }

        (int? StatusFrom, int? StatusTo) status = query.Status switch
        {
            null or "" => (null, null),
            "2xx" => (200, 299),
            "3xx" => (300, 399),
            "4xx" => (400, 499),
            "5xx" => (500, 599),
            var code when int.TryParse(code, out var exact) && exact is >= 100 and <= 599 => (exact, exact),
            _ => (-1, -1),
        };
        if (status.StatusFrom == -1)
        {
            errors["status"] = ["status is 2xx, 3xx, 4xx, 5xx or a status code."];
        }

        var basePath = query.ApiVersion switch
        {
            null or "" => null,
            ApiVersions.V3 => ApiVersions.V3BasePath + "/",
            ApiVersions.V4 => ApiVersions.V4BasePath + "/",
            _ => string.Empty,
        };
        if (basePath == string.Empty)
        {
            errors["apiVersion"] = [$"apiVersion is {ApiVersions.V3} or {ApiVersions.V4}."];
        }

        filter = new Filters(query.OrganisationId?.Trim() ?? string.Empty, string.IsNullOrWhiteSpace(query.ClientId) ? null : query.ClientId.Trim(),
            from, to, status.StatusFrom, status.StatusTo, string.IsNullOrWhiteSpace(query.Path) ? null : query.Path.Trim(),
            string.IsNullOrWhiteSpace(query.InteractionId) ? null : query.InteractionId.Trim(), basePath,
            string.IsNullOrWhiteSpace(query.ConsentId) ? null : query.ConsentId.Trim());
        return errors;
    }

    private static IQueryable<ApiCall> Filter(IQueryable<ApiCall> calls, Filters filter)
    {
        var from = filter.From.UtcDateTime;
        var to = filter.To.UtcDateTime;
        calls = calls.Where(c => c.OrganisationId == filter.OrganisationId && c.Timestamp >= from && c.Timestamp < to);
        if (filter.ClientId is { } clientId)
        {
            calls = calls.Where(c => c.ClientId == clientId);
        }

        if (filter.StatusFrom is { } low && filter.StatusTo is { } high)
        {
            calls = calls.Where(c => c.StatusCode >= low && c.StatusCode <= high);
        }

        if (filter.Path is { } path)
        {
            calls = calls.Where(c => c.Path.StartsWith(path) || (c.RouteTemplate != null && c.RouteTemplate.StartsWith(path)));
        }

        if (filter.InteractionId is { } interactionId)
        {
            calls = calls.Where(c => c.InteractionId == interactionId);
        }

        if (filter.ConsentId is { } consentId)
        {
            calls = calls.Where(c => c.ConsentId == consentId);
        }

        if (filter.BasePath is { Length: > 0 } basePath)
        {
            calls = calls.Where(c => c.Path.StartsWith(basePath));
        }

        return calls;
    }

    private static double Percentile(long[] sortedMicroseconds, double quantile)
    {
        if (sortedMicroseconds.Length == 0)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(quantile * sortedMicroseconds.Length) - 1;
        return Math.Round(sortedMicroseconds[Math.Clamp(index, 0, sortedMicroseconds.Length - 1)] / 1000.0, 3);
    }
}
