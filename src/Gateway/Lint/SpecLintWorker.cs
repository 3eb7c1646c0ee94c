using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Gateway.OpenBanking;

namespace OpenBanking.Gateway.Lint;

/// <summary>A written call, with what it carried, waiting to be linted.</summary>
public sealed record LintJob(
    long CallId, string? OrganisationId, string? ClientId, DateTime Timestamp, string Method, string? RouteTemplate, string Path, LintInput Input);

/// <summary>
/// Lints calls after the <see cref="CallLogWriter"/> has written them — twice removed from the request path: the writer
/// hands each written call to a bounded channel that never waits (full → dropped, metric <c>gateway.spec_lint.dropped</c>),
/// and this worker lints at most <see cref="SpecLintOptions.MaxPerSecond"/> calls a second (the rest are sampled out,
/// metric <c>gateway.spec_lint.sampled_out</c>). A call dropped or sampled out keeps <c>ProblemCount</c> null ("not
/// linted"); a linted one gets its count and its <see cref="ApiCallProblem"/> rows in one transaction.
/// </summary>
public sealed partial class SpecLintWorker : BackgroundService
{
    private readonly Channel<LintJob> _channel;
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory _scopes;
    private readonly SpecLintOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SpecLintWorker> _logger;
    private readonly Counter<long> _droppedCounter;
    private readonly Counter<long> _sampledOutCounter;
    private readonly Counter<long> _lintedCounter;
    private long _queued;
    private long _handled;
    private long _dropped;
    private long _sampledOut;
    private SpecLinter? _linter;

    public SpecLintWorker(
        IServiceProvider services, IServiceScopeFactory scopes, IOptions<SpecLintOptions> options, TimeProvider clock,
        IMeterFactory meters, ILogger<SpecLintWorker> logger)
    {
        _services = services;
        _scopes = scopes;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(CallRecorder.MeterName);
        _droppedCounter = meter.CreateCounter<long>("gateway.spec_lint.dropped", description: "Calls not linted because the lint queue was full");
        _sampledOutCounter = meter.CreateCounter<long>("gateway.spec_lint.sampled_out", description: "Calls not linted because lint was at its rate limit");
        _lintedCounter = meter.CreateCounter<long>("gateway.spec_lint.linted", description: "Calls linted against the OBIE specification");
        _channel = Channel.CreateBounded<LintJob>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        }, _ =>
        {
            Interlocked.Increment(ref _dropped);
            Interlocked.Increment(ref _handled);
            _droppedCounter.Add(1);
        });
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Calls dropped because the queue was full, since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Calls skipped because lint was at its rate, since start.</summary>
    public long SampledOut => Interlocked.Read(ref _sampledOut);

    /// <summary>Queues a written call; never waits.</summary>
    public void Enqueue(LintJob job)
    {
        if (!_options.Enabled)
        {
            return;
        }

        Interlocked.Increment(ref _queued);
        _channel.Writer.TryWrite(job);
    }

    /// <summary>Waits (up to 10 s) until every call queued before now is linted, dropped or sampled out.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queued);
        var deadline = _clock.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (Interlocked.Read(ref _handled) < target && _clock.GetUtcNow() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reading twelve specifications takes a moment: off start-up's path.
        await Task.Yield();
        try
        {
            _linter = new SpecLinter(_services.GetRequiredService<SpecCatalog>());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException or YamlDotNet.Core.YamlException)
        {
            LogCatalogFailed(_logger, exception);
        }

        var batch = new List<(LintJob Job, IReadOnlyList<LintProblem> Problems)>();
        var windowStart = _clock.GetUtcNow();
        var inWindow = 0;
        try
        {
            while (await _channel.Reader.WaitToReadAsync(stoppingToken))
            {
                var read = 0;
                while (read < 500 && _channel.Reader.TryRead(out var job))
                {
                    read++;
                    var now = _clock.GetUtcNow();
                    if (now - windowStart >= TimeSpan.FromSeconds(1))
                    {
                        windowStart = now;
                        inWindow = 0;
                    }

                    if (_linter is null || ++inWindow > _options.MaxPerSecond)
                    {
                        Interlocked.Increment(ref _sampledOut);
                        _sampledOutCounter.Add(1);
                        continue;
                    }

                    IReadOnlyList<LintProblem>? problems;
                    try
                    {
                        problems = _linter.Lint(job.Input);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // A schema the validator cannot handle must not stop lint for everyone: this call stays unlinted.
                        LogLintFailed(_logger, exception, job.CallId);
                        problems = null;
                    }

                    if (problems is not null)
                    {
                        batch.Add((job, problems));
                    }
                }

                await SaveAsync(batch, stoppingToken);
                Interlocked.Add(ref _handled, read);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SaveAsync(List<(LintJob Job, IReadOnlyList<LintProblem> Problems)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                foreach (var (job, problems) in batch)
                {
                    var version = ApiVersions.Of(job.Path);
                    db.ApiCallProblems.AddRange(problems.Select(p => new ApiCallProblem
                    {
                        CallId = job.CallId,
                        OrganisationId = job.OrganisationId,
                        ClientId = job.ClientId,
                        Timestamp = job.Timestamp,
                        Direction = p.Direction,
                        Severity = p.Severity,
                        Rule = Limit(p.Rule, 50)!,
                        Path = Limit(p.Path, 300),
                        Message = Limit(p.Message, 1000)!,
                        ApiVersion = version,
                        Method = job.Method,
                        RouteTemplate = job.RouteTemplate,
                    }));
                    var count = problems.Count;
                    await db.ApiCalls.Where(c => c.Id == job.CallId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProblemCount, count), ct);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }, cancellationToken);
            _lintedCounter.Add(batch.Count);
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException or InvalidOperationException)
        {
            LogSaveFailed(_logger, exception, batch.Count);
        }
    }

    private static string? Limit(string? value, int length)
        => value is null ? null : value.Length <= length ? value : value[..(length - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Error, Message = "The OBIE specifications could not be read; spec lint is off")]
    private static partial void LogCatalogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linting call {CallId} failed; it stays unlinted")]
    private static partial void LogLintFailed(ILogger logger, Exception exception, long callId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving the lint of {Count} calls failed; they stay unlinted")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, int count);
}
