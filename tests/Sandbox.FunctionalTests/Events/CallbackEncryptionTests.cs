using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Events;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.ServiceDefaults.Encryption;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// Partners' callback URLs are encrypted in every table that keeps one (read here straight from the SQLite file),
/// pushes still reach them, and the rotation command re-encrypts them — legacy plaintext included — under a new key.
/// </summary>
public sealed class CallbackEncryptionTests(EventsHost host) : IClassFixture<EventsHost>, IAsyncLifetime
{
    private static readonly string[] Tables = ["EventSubscriptions", "EventNotifications", "EventDeliveryAttempts"];
    private readonly SandboxFactory _factory = host.Factory;
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private EventReceiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await EventReceiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task PushedNotifications_ReachTheCallback_AndNoTableHoldsTheCallbackUrlInPlaintext()
    {
        const string app = "wallet-enc-push";
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url);
        await new PaymentsClient(_factory).AuthorisedAsync(clientId: app);

        var notifications = await EventsTesting.WaitForAsync(_factory,
            db => db.EventNotifications.AsNoTracking().Where(n => n.ClientId == app).ToListAsync(_ct),
            list => list.Count > 0 && list.All(n => n.State == EventDeliveryState.Delivered));
        await _receiver.WaitUntilAsync(r => notifications.All(n => r.Any(s => s.Jti == n.Jti)));
        Assert.All(notifications, n => Assert.Equal(_receiver.Url, Callbacks.Reveal(n.CallbackUrl)));

        var host = new Uri(_receiver.Url).Authority;
        foreach (var table in Tables)
        {
            var stored = await RawCallbacksAsync(table);
            Assert.NotEmpty(stored);
            Assert.All(stored, value =>
            {
                Assert.StartsWith(ColumnProtector.Prefix, value, StringComparison.Ordinal);
                Assert.DoesNotContain(host, value, StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public async Task RotateKeys_ReencryptsEveryCallbackUnderTheNewKey_IncludingLegacyPlaintext_AndTheyStayReadable()
    {
        const string app = "wallet-enc-rotate";
        await EventsTesting.SubscribeAsync(_factory, app, _receiver.Url);
        await new PaymentsClient(_factory).AuthorisedAsync(clientId: app);
        await EventsTesting.WaitForAsync(_factory,
            db => db.EventNotifications.AsNoTracking().Where(n => n.ClientId == app).ToListAsync(_ct),
            list => list.Count > 0 && list.All(n => n.State == EventDeliveryState.Delivered));

        // A row as the Sandbox wrote it before callbacks were encrypted.
        await using (var connection = await OpenAsync())
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE EventNotifications SET CallbackUrl = $url WHERE Id = (SELECT MIN(Id) FROM EventNotifications WHERE ClientId = $app)";
            update.Parameters.AddWithValue("$url", _receiver.Url);
            update.Parameters.AddWithValue("$app", app);
            Assert.Equal(1, await update.ExecuteNonQueryAsync(_ct));
        }

        var rotation = _factory.Services.GetRequiredService<ColumnKeyRotation>();
        var newKey = await rotation.CreateNewKeyAsync(TestContext.Current.CancellationToken);
        var tallies = await rotation.ReencryptAsync(batchSize: 2, ct: _ct);

        Assert.Equal(Tables.Select(t => $"{t}.CallbackUrl"), tallies.Select(t => t.Name));
        Assert.All(tallies, t => Assert.True(t.Reencrypted > 0 && t.Unreadable == 0 && t.ChangedMeanwhile == 0, t.ToString()));
        Assert.Equal(1, tallies.Single(t => t.Name == "EventNotifications.CallbackUrl").WerePlaintext);
        var prefix = ColumnProtector.PrefixFor(newKey);
        foreach (var table in Tables)
        {
            Assert.All(await RawCallbacksAsync(table), value => Assert.StartsWith(prefix, value, StringComparison.Ordinal));
        }

        var readBack = await EventsTesting.WithDbAsync(_factory, db => db.EventNotifications.AsNoTracking().Where(n => n.ClientId == app).Select(n => n.CallbackUrl).ToListAsync(_ct));
        Assert.All(readBack, stored => Assert.Equal(_receiver.Url, Callbacks.Reveal(stored)));
        Assert.Equal(_receiver.Url, Callbacks.Reveal(await EventsTesting.WithDbAsync(_factory, db => db.EventSubscriptions.Where(s => s.ClientId == app).Select(s => s.CallbackUrl).SingleAsync(_ct))));
        Assert.All(await rotation.ReencryptAsync(ct: _ct), t => Assert.Equal(0, t.Examined));
    }

    private CallbackProtection Callbacks => _factory.Services.GetRequiredService<CallbackProtection>();

    private async Task<List<string>> RawCallbacksAsync(string table)
    {
        await using var connection = await OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT CallbackUrl FROM {table} WHERE CallbackUrl IS NOT NULL";
        var values = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(_ct);
        while (await reader.ReadAsync(_ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_factory.Services.GetRequiredService<DatabaseSettings>().ConnectionString);
        await connection.OpenAsync(_ct);
        return connection;
    }
}
