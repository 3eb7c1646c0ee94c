using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Admin.Fraud;

/// <summary>What every open fraud dashboard shows, shared: one copy for all circuits.</summary>
/// <param name="Stream">Scored payments, newest first, capped.</param>
/// <param name="Error">Why the figures may be stale (the Sandbox did not answer); null when all is well.</param>
public sealed record FraudDashboardState(
    IReadOnlyList<FraudFeedItem> Stream, FraudSummary? Summary, IReadOnlyList<FraudFeedItem> Held, FraudModelView? Model,
    IReadOnlyDictionary<string, string> PartnerNames, IReadOnlyList<FraudAlert> Alerts, string? Error, bool Loaded)
{
    public static readonly FraudDashboardState Empty = new([], null, [], null, new Dictionary<string, string>(), [], null, false);

    /// <summary>The partner's legal name from the Portal's database, or its organisation id.</summary>
    public string PartnerName(string? organisationId)
        => organisationId is null ? "(reset tenant)" : PartnerNames.GetValueOrDefault(organisationId) ?? organisationId;
}

/// <summary>
/// Pushes the fraud feed to the open dashboards (Blazor Server): while at least one dashboard is subscribed it
/// long-polls the Sandbox's feed, refreshes the summary, queue and model after each answer, and hands the new state
/// to every subscriber (each calls InvokeAsync/StateHasChanged on its own circuit). With none open it sleeps.
/// </summary>
public sealed partial class FraudFeedHub(IServiceScopeFactory scopes, IOptions<FraudMonitoringOptions> options, ILogger<FraudFeedHub> logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly List<Func<FraudDashboardState, Task>> _subscribers = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _poll;
    private int _refreshRequested;

    public FraudDashboardState State { get; private set; } = FraudDashboardState.Empty;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (bool Released, string Reviewer)> _reviewed = new(StringComparer.Ordinal);

    /// <summary>Receives every new state until disposed; wakes the feed when it was asleep.</summary>
    public IDisposable Subscribe(Func<FraudDashboardState, Task> onChange)
    {
        lock (_gate)
        {
            _subscribers.Add(onChange);
            _wake.TrySetResult();
        }

        return new Subscription(this, onChange);
    }

    /// <summary>A payment reviewed here: its row in the stream shows the outcome from the next refresh on.</summary>
    public void Reviewed(string paymentId, bool released, string reviewer)
    {
        _reviewed[paymentId] = (released, reviewer);
        Refresh();
    }

    /// <summary>A change was made here (a review): refresh now rather than at the end of the current long-poll.</summary>
    public void Refresh()
    {
        Interlocked.Exchange(ref _refreshRequested, 1);
        lock (_gate)
        {
            _poll?.Cancel();
        }
    }

    private void Unsubscribe(Func<FraudDashboardState, Task> onChange)
    {
        lock (_gate)
        {
            _subscribers.Remove(onChange);
            if (_subscribers.Count == 0)
            {
                _poll?.Cancel();
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? cursor = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            Task wake;
            lock (_gate)
            {
                if (_subscribers.Count == 0)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    cursor = null; // asleep, the stream went stale: start again from the newest
                }

                wake = _subscribers.Count == 0 ? _wake.Task : Task.CompletedTask;
            }

            try
            {
                await wake.WaitAsync(stoppingToken);
                cursor = await PollAsync(cursor, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (the Sandbox, the Portal's database), the hub lives on: an exception escaping a
                // BackgroundService would stop the whole Portal.
                failures++;
                LogUnreachable(logger, e.Message);
                await PublishAsync(State with { Error = "The sandbox bank is not answering; the figures below may be out of date. Retrying…" });
                // Backs off (1 s, 2 s, … 15 s) so a stopped Sandbox is not hammered; any open dashboard keeps its last state.
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(15, failures)), stoppingToken);
            }
        }
    }

    private async Task<long?> PollAsync(long? cursor, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var size = Math.Clamp(settings.StreamSize, 1, 200); // the Sandbox's limits
        await using var scope = scopes.CreateAsyncScope();
        var sandbox = scope.ServiceProvider.GetRequiredService<SandboxFraudClient>();
        var stream = State.Stream;
        if (cursor is null)
        {
            var first = await sandbox.FeedAsync(null, size, 0, stoppingToken);
            stream = [.. first.Items.Reverse()];
            cursor = first.Cursor;
        }
        else
        {
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            lock (_gate)
            {
                _poll = poll;
            }

            try
            {
                // A refresh asked for between two polls: answer at once instead of waiting for the next payment.
                var wait = Interlocked.Exchange(ref _refreshRequested, 0) == 1 ? 0 : Math.Clamp(settings.FeedWaitSeconds, 0, 30);
                var feed = await sandbox.FeedAsync(cursor, size, wait, poll.Token);
                stream = [.. feed.Items.Reverse().Concat(stream).Take(size)];
                cursor = feed.Cursor;
            }
            catch (OperationCanceledException) when (poll.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                // Refresh() or the last dashboard closed: the rest below still runs (a queue just reviewed is re-read).
            }
            finally
            {
                lock (_gate)
                {
                    _poll = null;
                }
            }
        }

        var summary = await sandbox.SummaryAsync(settings.WindowMinutes, stoppingToken);
        var held = await sandbox.HeldAsync(stoppingToken);
        stream = Settle(stream, held, _reviewed);
        var model = await sandbox.ModelAsync(stoppingToken);
        var names = await PartnerNamesAsync(scope.ServiceProvider, stream, summary, held, stoppingToken);
        var state = new FraudDashboardState(stream, summary, held, model, names, [], null, true);
        await PublishAsync(state with { Alerts = FraudAlerts.Evaluate(summary, settings, state.PartnerName) });
        return cursor;
    }

    /// <summary>
    /// A row shows the payment as it was scored; one shown as held that has left the review queue since was reviewed
    /// (here — with its outcome and reviewer — or elsewhere, e.g. by the partner's test reviewer).
    /// </summary>
    public static IReadOnlyList<FraudFeedItem> Settle(
        IReadOnlyList<FraudFeedItem> stream, IReadOnlyList<FraudFeedItem> held, IReadOnlyDictionary<string, (bool Released, string Reviewer)> reviewed)
    {
        var stillHeld = held.Select(h => h.PaymentId).ToHashSet(StringComparer.Ordinal);
        return [.. stream.Select(item => item is { HeldForReview: true, ReviewReleased: null } && !stillHeld.Contains(item.PaymentId)
            ? reviewed.TryGetValue(item.PaymentId, out var review)
                ? item with { HeldForReview = false, ReviewReleased = review.Released, ReviewedBy = review.Reviewer }
                : item with { HeldForReview = false, Status = "reviewed" }
            : item)];
    }

    /// <summary>The legal names of the partners on screen (the Sandbox knows organisation ids only).</summary>
    private async Task<IReadOnlyDictionary<string, string>> PartnerNamesAsync(
        IServiceProvider services, IReadOnlyList<FraudFeedItem> stream, FraudSummary summary, IReadOnlyList<FraudFeedItem> held, CancellationToken ct)
    {
        var wanted = stream.Select(i => i.OrganisationId).Concat(held.Select(i => i.OrganisationId)).Concat(summary.Tenants.Select(t => t.OrganisationId))
            .OfType<string>().Where(id => !State.PartnerNames.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return State.PartnerNames;
        }

        var ids = wanted.Select(id => Guid.TryParse(id, out var guid) ? guid : (Guid?)null).OfType<Guid>().ToList();
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        var found = await db.Organisations.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.LegalName }).ToListAsync(ct);
        var names = new Dictionary<string, string>(State.PartnerNames, StringComparer.OrdinalIgnoreCase);
        foreach (var organisation in found)
        {
            names[organisation.Id.ToString()] = organisation.LegalName;
        }

        return names;
    }

    private async Task PublishAsync(FraudDashboardState state)
    {
        State = state;
        Func<FraudDashboardState, Task>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                await subscriber(state);
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
                // A circuit that went away between the copy and the call: it unsubscribes when disposed.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fraud feed could not be read from the Sandbox: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string reason);

    private sealed class Subscription(FraudFeedHub hub, Func<FraudDashboardState, Task> onChange) : IDisposable
    {
        public void Dispose() => hub.Unsubscribe(onChange);
    }
}
