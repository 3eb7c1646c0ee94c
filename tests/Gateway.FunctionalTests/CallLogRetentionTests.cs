using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.Gateway.Lint;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>Retention of the call log: batched, and a database failure is housekeeping's problem, not the gateway's.</summary>
public sealed class CallLogRetentionTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARetentionRunThatFails_LeavesTheGatewayRunning_AndTheNextRunDeletesEveryExpiredRowInBatches_AndNoNewerOne()
    {
        var deletes = new FailFirstDelete();
        using var factory = new RetentionFactory(deletes);
        _ = factory.Server;

        // The run at start-up meets a locked database.
        await deletes.Failed.Task.WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var now = DateTime.UtcNow;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            db.ApiCalls.AddRange(Enumerable.Range(0, 25).Select(i => Call(now.AddDays(-31).AddMinutes(-i), "expired")));
            db.ApiCalls.AddRange(Enumerable.Range(0, 5).Select(i => Call(now.AddDays(-29).AddMinutes(-i), "recent")));
            await db.SaveChangesAsync(_ct);
            // Spec-lint problems go with their calls.
            db.ApiCallProblems.AddRange(db.ApiCalls.Local.Select(c => new ApiCallProblem
            {
                CallId = c.Id, OrganisationId = c.OrganisationId, ClientId = c.ClientId, Timestamp = c.Timestamp, Direction = "request",
                Severity = "error", Rule = "schema.pattern", Path = c.Path, Message = "m", Method = c.Method,
            }).ToList());
            await db.SaveChangesAsync(_ct);
        }

        deletes.Seeded.SetResult();
        await deletes.Finished.Task.WaitAsync(TimeSpan.FromSeconds(60), _ct);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            Assert.Equal(0, await db.ApiCalls.CountAsync(c => c.Path == "expired", _ct));
            Assert.Equal(5, await db.ApiCalls.CountAsync(c => c.Path == "recent", _ct));
            Assert.Equal(0, await db.ApiCallProblems.CountAsync(p => p.Path == "expired", _ct));
            Assert.Equal(5, await db.ApiCallProblems.CountAsync(p => p.Path == "recent", _ct));
        }

        // 25 rows, 10 a statement: 10, 10, 5 after the failed one.
        Assert.Equal(4, deletes.Statements);
        var writer = factory.Services.GetRequiredService<CallLogWriter>();
        Assert.False(writer.ExecuteTask!.IsCompleted);
        Assert.False(factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    private static ApiCall Call(DateTime timestamp, string path) => new()
    {
        Timestamp = timestamp,
        ClientId = "demo-wallet",
        OrganisationId = "org",
        Method = "GET",
        Path = path,
        StatusCode = 200,
    };

    private sealed class RetentionFactory(FailFirstDelete deletes) : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            WithSetting("Gateway:CallLog:RetentionBatchSize", "10");
            WithSetting("Gateway:CallLog:RetentionRetryDelay", "00:00:00.010");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.ConfigureDbContext<SqliteGatewayDbContext>(options => options.AddInterceptors(deletes)));
        }
    }

    /// <summary>
    /// Fails the first DELETE of call records as a locked SQLite database does; holds the second until the test has
    /// written its rows; notes when a statement deletes less than a batch (the run's last).
    /// </summary>
    private sealed class FailFirstDelete : DbCommandInterceptor
    {
        private int _statements;

        public TaskCompletionSource Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Seeded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Statements => Volatile.Read(ref _statements);

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (IsRetention(command))
            {
                var statement = Interlocked.Increment(ref _statements);
                if (statement == 1)
                {
                    Failed.SetResult();
                    throw new SqliteException("database is locked", 5);
                }

                await Seeded.Task.WaitAsync(cancellationToken);
            }

            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (IsRetention(command) && result < 10)
            {
                Finished.TrySetResult();
            }

            return ValueTask.FromResult(result);
        }

        private static bool IsRetention(DbCommand command)
            => command.CommandText.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) && command.CommandText.Contains("ApiCalls", StringComparison.Ordinal);
    }
}
