using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OpenBanking.ServiceDefaults.Encryption;

/// <summary>A store of protected values (a column, a key file) the rotation command re-encrypts.</summary>
public interface IProtectedStore
{
    /// <summary>What it is, for the command's output ("EventNotifications.CallbackUrl").</summary>
    string Name { get; }

    /// <summary>
    /// Re-encrypts under <see cref="Reencryption.CurrentKeyId"/> every value that is not (legacy plaintext included), in
    /// batches; a value changed meanwhile is left to its writer and counted. Running it again finishes what is left.
    /// </summary>
    Task ReencryptAsync(Reencryption reencryption, IServiceProvider services, CancellationToken ct);
}

/// <summary>One store's counts.</summary>
public sealed class ReencryptionTally(string name)
{
    /// <summary>The store's name.</summary>
    public string Name { get; } = name;

    /// <summary>Values found not under the current key.</summary>
    public int Examined { get; set; }

    /// <summary>Rewritten under the current key.</summary>
    public int Reencrypted { get; set; }

    /// <summary>Of those, how many were legacy plaintext.</summary>
    public int WerePlaintext { get; set; }

    /// <summary>Changed by the service between read and write (left as its writer wrote them).</summary>
    public int ChangedMeanwhile { get; set; }

    /// <summary>Could not be decrypted (altered, or under a key no longer in the ring): left as they are.</summary>
    public int Unreadable { get; set; }

    /// <inheritdoc />
    public override string ToString()
        => $"{Name}: {Examined} not under the current key, {Reencrypted} re-encrypted ({WerePlaintext} were plaintext), "
           + $"{ChangedMeanwhile} changed meanwhile, {Unreadable} unreadable";
}

/// <summary>What a store needs to re-encrypt: the protector, the key to reach, the batch size, and its tally.</summary>
public sealed class Reencryption(ColumnProtector protector, Guid currentKeyId, int batchSize)
{
    /// <summary>The key every value should end under.</summary>
    public Guid CurrentKeyId { get; } = currentKeyId;

    /// <summary>Rows read at a time.</summary>
    public int BatchSize { get; } = batchSize;

    /// <summary>The start of every value already under the current key.</summary>
    public string CurrentPrefix { get; } = ColumnProtector.PrefixFor(currentKeyId);

    /// <summary>Each store's counts, in the order they ran.</summary>
    public List<ReencryptionTally> Tallies { get; } = [];

    /// <summary>The service's protector.</summary>
    public ColumnProtector Protector { get; } = protector;

    /// <summary>Whether <paramref name="stored"/> needs rewriting.</summary>
    public bool IsCurrent(string stored) => stored.StartsWith(CurrentPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The value re-encrypted under the current key, or null when it cannot be read (counted); counts it examined and,
    /// when it was plaintext, as such.
    /// </summary>
    public string? Rewrap(ReencryptionTally tally, string purpose, string stored)
    {
        tally.Examined++;
        try
        {
            var plaintext = Protector.Unprotect(purpose, stored);
            return Protector.Protect(purpose, plaintext);
        }
        catch (CryptographicException)
        {
            tally.Unreadable++;
            return null;
        }
    }

    /// <summary>Counts the outcome of a conditional write of a value <see cref="Rewrap"/> gave.</summary>
    public static void Written(ReencryptionTally tally, string previous, bool written)
    {
        if (!written)
        {
            tally.ChangedMeanwhile++;
            return;
        }

        tally.Reencrypted++;
        if (!ColumnProtector.IsProtected(previous))
        {
            tally.WerePlaintext++;
        }
    }

    /// <summary>A new tally for a store, kept in <see cref="Tallies"/>.</summary>
    public ReencryptionTally Tally(string name)
    {
        var tally = new ReencryptionTally(name);
        Tallies.Add(tally);
        return tally;
    }
}

/// <summary>
/// Key rotation for protected columns: makes a new Data Protection key current (the old ones stay in the ring, so
/// everything stays readable), then re-encrypts every protected value — and legacy plaintext — under it.
/// </summary>
public sealed class ColumnKeyRotation(ColumnProtector protector, IKeyManager keys, IEnumerable<IProtectedStore> stores, IServiceScopeFactory scopes)
{
    /// <summary>New key, then re-encrypt everything.</summary>
    public const string RotateCommand = "rotate-keys";

    /// <summary>Re-encrypt what is not under the current key (finishes an interrupted rotation; makes no key).</summary>
    public const string ReencryptCommand = "reencrypt";

    /// <summary>Keys made by the command live as long as Data Protection's own (90 days); it rolls a new one after that.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    /// <summary>Makes a new key, active now, the one new values are encrypted with; returns its id.</summary>
    public async Task<Guid> CreateNewKeyAsync(CancellationToken ct = default)
    {
        // Data Protection's own clock, not the service's TimeProvider (tests move that one).
        var now = DateTimeOffset.UtcNow;
        var key = keys.CreateNewKey(now, now + KeyLifetime);
        // Since .NET 9 the key ring is reloaded in the background: the first use after a new key still gets the cached
        // ring and starts the reload. Wait (bounded) until new values are encrypted with the new key.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var current = protector.CurrentKeyId();
        while (current != key.KeyId && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            current = protector.CurrentKeyId();
        }

        return current == key.KeyId
            ? key.KeyId
            : throw new InvalidOperationException($"The new key {key.KeyId:N} was created but Data Protection still encrypts with {current:N}.");
    }

    /// <summary>Re-encrypts every store's values that are not under the current key, <paramref name="batchSize"/> rows at a time.</summary>
    public async Task<IReadOnlyList<ReencryptionTally>> ReencryptAsync(int batchSize = 500, CancellationToken ct = default)
    {
        var reencryption = new Reencryption(protector, protector.CurrentKeyId(), batchSize);
        foreach (var store in stores)
        {
            await using var scope = scopes.CreateAsyncScope();
            await store.ReencryptAsync(reencryption, scope.ServiceProvider, ct);
        }

        return reencryption.Tallies;
    }
}

/// <summary>The <c>rotate-keys</c> and <c>reencrypt</c> commands of a service's executable.</summary>
public static class ColumnKeyRotationCommand
{
    /// <summary>Whether the arguments ask for a key command rather than running the service.</summary>
    public static bool IsKeyCommand(string[] args)
        => args.Length > 0 && args[0] is ColumnKeyRotation.RotateCommand or ColumnKeyRotation.ReencryptCommand;

    /// <summary>
    /// Runs the command against the configured database (same configuration as the service, so the same connection
    /// string and key-encryption key), printing counts; returns the exit code (1 when something was left).
    /// </summary>
    public static async Task<int> RunKeyCommandAsync(this IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        var rotation = app.Services.GetRequiredService<ColumnKeyRotation>();
        if (args[0] == ColumnKeyRotation.RotateCommand)
        {
            var key = await rotation.CreateNewKeyAsync();
            Console.WriteLine($"New current key {key:N}.");
        }

        var tallies = await rotation.ReencryptAsync();
        foreach (var tally in tallies)
        {
            Console.WriteLine(tally);
        }

        var left = tallies.Sum(t => t.ChangedMeanwhile + t.Unreadable);
        Console.WriteLine(left == 0
            ? "Every protected value is under the current key."
            : $"{left} value(s) were not re-encrypted; run '{ColumnKeyRotation.ReencryptCommand}' again (unreadable ones need their key back).");
        return left == 0 ? 0 : 1;
    }
}
