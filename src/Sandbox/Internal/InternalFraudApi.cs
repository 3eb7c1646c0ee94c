using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// The bank's fraud monitoring across every tenant (docs/fraud-monitoring.md): the live feed of screened payments
/// (long-polled), rates per partner, the review queue, a reviewer's decision with its note, and the model in use.
/// Only the Portal's service client reaches it (internal scope); the Portal shows it to bank admins only.
/// </summary>
public static class InternalFraudApi
{
    public const int DefaultWaitSeconds = 20;
    public const int MaxWaitSeconds = 30;
    public const int MaxTake = 200;
    public const int MaxNoteLength = 500;
    public const int MaxReviewerLength = 200;
    public const int BaselineHours = 24;

    public static RouteGroupBuilder MapInternalFraudApi(this RouteGroupBuilder group)
    {
        var fraud = group.MapGroup("/fraud");
        fraud.MapGet("/feed", FeedAsync).WithName("FraudFeed")
            .WithSummary("Screened payments after the cursor, oldest first; waits up to `wait` seconds for the next one when none is newer");
        fraud.MapGet("/summary", SummaryAsync).WithName("FraudSummary")
            .WithSummary("Per partner: scored, held, rejected and released in the last `minutes` and in the 24 hours before them");
        fraud.MapGet("/held", HeldAsync).WithName("FraudHeld")
            .WithSummary("Payments held for review across every tenant, oldest first");
        fraud.MapPost("/payments/{paymentId}/review", ReviewAsync).WithName("FraudReview")
            .WithSummary("Release or reject a held payment; the reviewer and the note are recorded with its screening");
        fraud.MapGet("/model", Model).WithName("FraudModel")
            .WithSummary("The fraud model in use, its version and evaluation, or why the rules decide alone");
        return fraud;
    }

    /// <param name="Id">The feed's cursor.</param>
    /// <param name="Status">The payment's status now (null if the payment is gone, e.g. its tenant was reset).</param>
    public sealed record FraudFeedItem(
        long Id, string PaymentId, string Kind, string? OrganisationId, string ClientId, string CustomerId, string Amount, string Currency,
        int RuleScore, double? ModelScore, string? ModelVersion, int Score, string Decision, IReadOnlyList<string> Reasons,
        DateTimeOffset ScoredAt, DateTimeOffset RecordedAt, string? Status, string? StatusReason, bool HeldForReview,
        bool? ReviewReleased, DateTimeOffset? ReviewedAt, string? ReviewedBy, string? ReviewNote);

    /// <param name="Cursor">Pass it as <c>after</c> next time (the last item's id, or the cursor you sent when none came).</param>
    public sealed record FraudFeed(IReadOnlyList<FraudFeedItem> Items, long Cursor);

    public sealed record FraudCounts(int Scored, int Held, int Rejected, int Released);

    public sealed record TenantFraudSummary(string OrganisationId, FraudCounts Recent, FraudCounts Baseline);

    /// <param name="Recent">The last <paramref name="WindowMinutes"/> minutes of real time.</param>
    /// <param name="Baseline">The <paramref name="BaselineHours"/> hours before that window.</param>
    public sealed record FraudSummary(
        int WindowMinutes, int BaselineHours, DateTimeOffset At, IReadOnlyList<TenantFraudSummary> Tenants, FraudCounts Recent, FraudCounts Baseline);

    /// <param name="Release">true releases the payment for settlement, false rejects it.</param>
    /// <param name="Note">Why (≤ 500 characters); required to reject.</param>
    /// <param name="Reviewer">Who decides (the bank staff member's e-mail or id).</param>
    public sealed record FraudReviewRequest(bool? Release, string? Note, string? Reviewer);

    public sealed record FraudReviewResult(string PaymentId, string Status);

    public static async Task<Results<Ok<FraudFeed>, ValidationProblem>> FeedAsync(
        long? after, int? take, int? wait, SandboxDbContext db, IFraudFeedSignal signal, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (after < 0)
        {
            errors["after"] = ["after is a cursor from an earlier answer: 0 or more."];
        }

        if (take is < 1 or > MaxTake)
        {
            errors["take"] = [$"take must be between 1 and {MaxTake}."];
        }

        if (wait is < 0 or > MaxWaitSeconds)
        {
            errors["wait"] = [$"wait must be between 0 and {MaxWaitSeconds} seconds."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var count = take ?? 50;
        if (after is null)
        {
            // The first call: the newest screenings (in order) and the cursor to follow from.
            var newest = await ItemsAsync(db, db.PaymentScreenings.OrderByDescending(s => s.Id).Take(count), ct);
            var ordered = newest.OrderBy(i => i.Id).ToArray();
            return TypedResults.Ok(new FraudFeed(ordered, ordered.Length == 0 ? 0 : ordered[^1].Id));
        }

        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(wait ?? DefaultWaitSeconds);
        while (true)
        {
            // Taken before the read: a payment committed between the read and the wait still wakes this call.
            var next = signal.Next;
            var items = await ItemsAsync(db, db.PaymentScreenings.Where(s => s.Id > after).OrderBy(s => s.Id).Take(count), ct);
            var remaining = deadline - time.GetUtcNow();
            if (items.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return TypedResults.Ok(new FraudFeed(items, items.Count == 0 ? after.Value : items[^1].Id));
            }

            try
            {
                await next.WaitAsync(remaining, time, ct);
            }
            catch (TimeoutException)
            {
                return TypedResults.Ok(new FraudFeed([], after.Value));
            }
        }
    }

    public static async Task<Results<Ok<FraudSummary>, ValidationProblem>> SummaryAsync(
        int? minutes, SandboxDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (minutes is < 1 or > 1440)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = ["minutes must be between 1 and 1440."] });
        }

        var window = minutes ?? 15;
        var now = time.GetUtcNow();
        var recentFrom = now.UtcDateTime.AddMinutes(-window);
        var baselineFrom = recentFrom.AddHours(-BaselineHours);
        var rows = await db.PaymentScreenings.AsNoTracking()
            .Where(s => s.RecordedAt >= baselineFrom)
            .GroupBy(s => s.TenantId)
            .Select(g => new
            {
                TenantId = g.Key,
                Scored = g.Count(s => s.RecordedAt >= recentFrom),
                Held = g.Count(s => s.RecordedAt >= recentFrom && s.Decision == RiskDecision.Review),
                Rejected = g.Count(s => s.RecordedAt >= recentFrom && s.Decision == RiskDecision.Reject),
                Released = g.Count(s => s.RecordedAt >= recentFrom && s.ReviewReleased == true),
                BaseScored = g.Count(s => s.RecordedAt < recentFrom),
                BaseHeld = g.Count(s => s.RecordedAt < recentFrom && s.Decision == RiskDecision.Review),
                BaseRejected = g.Count(s => s.RecordedAt < recentFrom && s.Decision == RiskDecision.Reject),
                BaseReleased = g.Count(s => s.RecordedAt < recentFrom && s.ReviewReleased == true),
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.TenantId).ToArray();
        var organisations = await db.Tenants.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.OrganisationId, ct);
        var tenants = rows
            .Where(r => organisations.ContainsKey(r.TenantId))
            .Select(r => new TenantFraudSummary(organisations[r.TenantId],
                new FraudCounts(r.Scored, r.Held, r.Rejected, r.Released),
                new FraudCounts(r.BaseScored, r.BaseHeld, r.BaseRejected, r.BaseReleased)))
            .OrderBy(t => t.OrganisationId, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Ok(new FraudSummary(window, BaselineHours, now, tenants,
            Sum(tenants.Select(t => t.Recent)), Sum(tenants.Select(t => t.Baseline))));
    }

    public static async Task<Results<Ok<FraudFeedItem[]>, ValidationProblem>> HeldAsync(int? take, SandboxDbContext db, CancellationToken ct)
    {
        if (take is < 1 or > MaxTake)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = [$"take must be between 1 and {MaxTake}."] });
        }

        var held = db.PaymentScreenings
            .Where(s => s.Decision == RiskDecision.Review && s.ReviewReleased == null)
            .Join(db.DomesticPayments.Where(p => p.Status == PaymentStatus.Pending && p.StatusReason == PaymentStatusReasons.HeldForReview),
                s => s.PaymentId, p => p.Id, (s, p) => s)
            .OrderBy(s => s.Id)
            .Take(take ?? 100);
        return TypedResults.Ok((await ItemsAsync(db, held, ct)).ToArray());
    }

    public static async Task<Results<Ok<FraudReviewResult>, ProblemHttpResult, ValidationProblem>> ReviewAsync(
        string paymentId, FraudReviewRequest body, PaymentService payments, CancellationToken ct)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (found, status, error) = await payments.ReviewAsync(paymentId, body.Release!.Value, body.Reviewer!.Trim(), body.Note, ct);
        return !found ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No payment has this id.")
            : error is not null ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: error)
            : TypedResults.Ok(new FraudReviewResult(paymentId, status!.Value.ToString()));
    }

    /// <summary>Every error at once, in words a reviewer understands.</summary>
    public static Dictionary<string, string[]> Validate(FraudReviewRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Release is null)
        {
            errors["Release"] = ["Say whether to release (true) or reject (false) the payment."];
        }

        if (string.IsNullOrWhiteSpace(body.Reviewer))
        {
            errors["Reviewer"] = ["Say who reviews the payment."];
        }
        else if (body.Reviewer.Trim().Length > MaxReviewerLength)
        {
            errors["Reviewer"] = [$"The reviewer is at most {MaxReviewerLength} characters."];
        }

        if (body.Note is { } note && note.Trim().Length > MaxNoteLength)
        {
            errors["Note"] = [$"The note is at most {MaxNoteLength} characters; it has {note.Trim().Length}."];
        }
        else if (body.Release == false && string.IsNullOrWhiteSpace(body.Note))
        {
            errors["Note"] = ["Write a note saying why the payment is rejected."];
        }

        return errors;
    }

    public static Ok<FraudModelInfo> Model(IFraudModelStatus model) => TypedResults.Ok(model.Current);

    private static FraudCounts Sum(IEnumerable<FraudCounts> counts) => counts.Aggregate(new FraudCounts(0, 0, 0, 0),
        (a, b) => new FraudCounts(a.Scored + b.Scored, a.Held + b.Held, a.Rejected + b.Rejected, a.Released + b.Released));

    /// <summary>The screenings with their tenant's organisation and their payment's status now (one query).</summary>
    private static async Task<List<FraudFeedItem>> ItemsAsync(SandboxDbContext db, IQueryable<PaymentScreening> screenings, CancellationToken ct)
    {
        var rows = await (
                from s in screenings.AsNoTracking()
                join t in db.Tenants on s.TenantId equals t.Id into tenants
                from t in tenants.DefaultIfEmpty()
                join p in db.DomesticPayments on s.PaymentId equals p.Id into made
                from p in made.DefaultIfEmpty()
                select new { s, OrganisationId = t == null ? null : t.OrganisationId, Status = p == null ? (PaymentStatus?)null : p.Status, StatusReason = p == null ? null : p.StatusReason })
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.s.Id).Select(r => new FraudFeedItem(
            r.s.Id, r.s.PaymentId, r.s.Kind.ToString(), r.OrganisationId, r.s.ClientId, r.s.CustomerId,
            Money.Format(r.s.AmountMinor, r.s.Currency), r.s.Currency, r.s.RuleScore, r.s.ModelScore, r.s.ModelVersion, r.s.Score,
            r.s.Decision.ToString(), r.s.Reasons.Split("; ", StringSplitOptions.RemoveEmptyEntries),
            Utc(r.s.ScoredAt), Utc(r.s.RecordedAt), r.Status?.ToString(), r.StatusReason,
            r.Status == PaymentStatus.Pending && r.StatusReason == PaymentStatusReasons.HeldForReview,
            r.s.ReviewReleased, r.s.ReviewedAt is { } reviewed ? Utc(reviewed) : null, r.s.ReviewedBy, r.s.ReviewNote))];
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
