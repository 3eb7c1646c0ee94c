using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// The Sandbox's fraud monitoring API across every tenant (scope <c>sandbox.internal</c>, docs/fraud-monitoring.md):
/// the live feed, the per-partner summary, the review queue, a reviewer's decision and the model in use.
/// </summary>
public sealed class SandboxFraudClient(HttpClient http)
{
    /// <summary>
    /// The screenings after <paramref name="after"/>, oldest first; the Sandbox holds the call up to
    /// <paramref name="waitSeconds"/> when none is newer. Without <paramref name="after"/>: the newest <paramref name="take"/>.
    /// </summary>
    public async Task<FraudFeed> FeedAsync(long? after, int take, int waitSeconds, CancellationToken ct)
    {
        var query = after is { } cursor ? $"internal/fraud/feed?after={cursor}&take={take}&wait={waitSeconds}" : $"internal/fraud/feed?take={take}";
        using var response = await http.GetAsync(query, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FraudFeed>(ct))!;
    }

    public async Task<FraudSummary> SummaryAsync(int minutes, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/fraud/summary?minutes={minutes}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FraudSummary>(ct))!;
    }

    public async Task<IReadOnlyList<FraudFeedItem>> HeldAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync("internal/fraud/held?take=100", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FraudFeedItem[]>(ct))!;
    }

    public async Task<FraudModelView> ModelAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync("internal/fraud/model", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FraudModelView>(ct))!;
    }

    /// <summary>Releases or rejects a held payment; the status it ends in.</summary>
    /// <exception cref="PlatformServiceException">Refused: field errors (400), unknown (404) or no longer held (409), in words.</exception>
    public async Task<string> ReviewAsync(string paymentId, bool release, string? note, string reviewer, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"internal/fraud/payments/{Uri.EscapeDataString(paymentId)}/review",
            new { release, note, reviewer }, ct);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            var title = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
                ? (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))?.Title
                : null;
            throw new PlatformServiceException(response.StatusCode == HttpStatusCode.NotFound
                ? "The sandbox bank has no such payment."
                : title ?? "The payment is no longer held for review.");
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<FraudReviewResult>(ct))!.Status;
    }
}

/// <summary>One screened payment: its scores, decision and reasons, and the payment's status now.</summary>
public sealed record FraudFeedItem(
    long Id, string PaymentId, string Kind, string? OrganisationId, string ClientId, string CustomerId, string Amount, string Currency,
    int RuleScore, double? ModelScore, string? ModelVersion, int Score, string Decision, IReadOnlyList<string> Reasons,
    DateTimeOffset ScoredAt, DateTimeOffset RecordedAt, string? Status, string? StatusReason, bool HeldForReview,
    bool? ReviewReleased = null, DateTimeOffset? ReviewedAt = null, string? ReviewedBy = null, string? ReviewNote = null);

public sealed record FraudFeed(IReadOnlyList<FraudFeedItem> Items, long Cursor);

public sealed record FraudCounts(int Scored, int Held, int Rejected, int Released)
{
    public static readonly FraudCounts None = new(0, 0, 0, 0);

    /// <summary>Share of scored payments the engines flagged (held or rejected); null when none was scored.</summary>
    public double? FlaggedRate => Scored == 0 ? null : (double)(Held + Rejected) / Scored;
}

public sealed record TenantFraudSummary(string OrganisationId, FraudCounts Recent, FraudCounts Baseline);

public sealed record FraudSummary(
    int WindowMinutes, int BaselineHours, DateTimeOffset At, IReadOnlyList<TenantFraudSummary> Tenants, FraudCounts Recent, FraudCounts Baseline);

public sealed record FraudEvaluationRowView(string Engine, double RocAuc, double Threshold, double Precision, double Recall, double FalsePositiveRate);

public sealed record FraudEvaluationView(int Payments, int Frauds, string Seeds, IReadOnlyList<FraudEvaluationRowView> Engines);

/// <summary>The model the Sandbox scores with, or (<c>Loaded</c> false) why the rules decide alone.</summary>
public sealed record FraudModelView(bool Loaded, string? Version, DateTimeOffset? TrainedAt, string? FallbackReason, FraudEvaluationView? Evaluation);

public sealed record FraudReviewResult(string PaymentId, string Status);
