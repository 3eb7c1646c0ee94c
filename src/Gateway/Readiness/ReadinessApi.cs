using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Gateway.Lint;
using OpenBanking.Gateway.Security;

namespace OpenBanking.Gateway.Readiness;

/// <summary>
/// The call-log half of an app's go-live readiness report (scope <c>gateway.calls</c>), computed on demand from the app's
/// last 30 days of calls (index ClientId + Timestamp): every operation of both API versions with how the app used it, and
/// the <see cref="ReadinessEvaluator"/> checks. Always for one organisation: another's app is not found.
/// </summary>
public static class ReadinessApi
{
    private const int MaxRows = 200_000;
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapReadinessApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/apps")
            .WithTags("Readiness")
            .RequireAuthorization(GatewayPolicies.CallLog);
        group.MapGet("/{clientId}/readiness", GetAsync).WithName("AppReadiness")
            .WithSummary("Operations exercised and behaviour checks of one app, from its last 30 days of calls");
        return group;
    }

    public sealed record ReadinessQuery(string? OrganisationId);

    /// <summary>One spec operation (<c>Api</c>: aisp, pisp, cbpii, vrp, events) and how the app used it (<c>Calls</c> 0 = not exercised).</summary>
    public sealed record OperationCoverage(string Api, string Version, string Method, string RouteTemplate, int Calls, int Succeeded, DateTimeOffset? LastAt);

    public sealed record GatewayReadiness(
        DateTimeOffset ComputedAt, DateTimeOffset Since, IReadOnlyList<OperationCoverage> Operations, IReadOnlyList<ReadinessCheck> Checks);

    internal static async Task<Results<Ok<GatewayReadiness>, ValidationProblem>> GetAsync(
        string clientId, [AsParameters] ReadinessQuery query, GatewayDbContext db, SpecCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.OrganisationId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["organisationId"] = ["organisationId is required: a report is shown only to the app's own organisation."],
            });
        }

        var organisationId = query.OrganisationId.Trim();
        var now = clock.GetUtcNow();
        var since = now - Window;
        var sinceUtc = since.UtcDateTime;
        // Another organisation's app has no calls here: its report is empty, as an app that never called.
        var rows = await db.ApiCalls.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.OrganisationId == organisationId && c.Timestamp >= sinceUtc)
            .OrderByDescending(c => c.Timestamp).ThenByDescending(c => c.Id)
            .Take(MaxRows)
            .Select(c => new ReadinessCall(c.Id, c.Timestamp, c.Method, c.RouteTemplate, c.StatusCode, c.ErrorCode, c.RefusalRule,
                c.ConsentId, c.IdempotencyKey, c.RetryAfterSeconds, c.Signed, c.DpopBound, c.InteractionIdSent))
            .ToListAsync(ct);
        rows.Reverse();

        var used = rows.Where(r => r.RouteTemplate is not null)
            .GroupBy(r => SpecCatalog.KeyOf(r.Method, r.RouteTemplate!))
            .ToDictionary(g => g.Key, g => (Calls: g.Count(), Succeeded: g.Count(r => r.StatusCode is >= 200 and < 300), Last: g.Max(r => r.Timestamp)));
        var operations = catalog.Operations.Where(o => !o.Callback)
            .Select(o => used.TryGetValue(o.Key, out var u)
                ? new OperationCoverage(o.Api, o.Version, o.Method, o.RouteTemplate, u.Calls, u.Succeeded, new DateTimeOffset(u.Last, TimeSpan.Zero))
                : new OperationCoverage(o.Api, o.Version, o.Method, o.RouteTemplate, 0, 0, null))
            .ToList();
        return TypedResults.Ok(new GatewayReadiness(now, since, operations, ReadinessEvaluator.Evaluate(rows)));
    }
}
