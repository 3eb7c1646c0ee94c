using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// Money-moving transactions queue here before they open. SQLite has one writer per file and Microsoft.Data.Sqlite
/// answers a busy database by sleeping 150 ms and retrying, so concurrent writers are far faster taking turns in
/// process. SQL Server needs no gate: its row locks and the ledger's guarded updates serialise per account. The gate
/// is only a throughput measure — correctness rests on the database guards either way.
/// </summary>
public sealed class WriteGate(DatabaseSettings settings)
{
    private readonly SemaphoreSlim? _gate = settings.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    public async ValueTask<Releaser> EnterAsync(CancellationToken ct)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(ct);
        }

        return new Releaser(_gate);
    }

    public readonly struct Releaser(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}

/// <summary>
/// A test seam between the steps of a money-moving transaction: tests make it throw to prove that a failure part
/// way leaves nothing behind. Does nothing in the service.
/// </summary>
public interface IFaultInjector
{
    void After(string step);
}

internal sealed class NoFaults : IFaultInjector
{
    public void After(string step)
    {
    }
}
