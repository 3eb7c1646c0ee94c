using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Signing;

/// <summary>The key that signs now, ready to use.</summary>
public sealed record ActiveSigningKey(string Kid, SigningCredentials Credentials);

/// <summary>
/// The bank's message-signing keys: the one service that holds the private halves (ADR: one holder per private key).
/// Creates the first key on demand, signs with the newest active key, publishes every key still needed to verify, and
/// rotates: a new key is published <see cref="SigningOptions.PublishLead"/> before it signs, the old one stays published
/// for <see cref="SigningOptions.RetiredKeyGrace"/> (longer than any SET it signed lives).
/// The key set is cached for a minute; a rotation in this instance refreshes it at once.
/// </summary>
public sealed class BankSigningKeys(
    IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<SigningOptions> options)
{
    public const string Purpose = "OpenBanking.Sandbox.Signing.BankSigningKey";
    public const string Algorithm = SecurityAlgorithms.RsaSsaPssSha256;

    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);
    private Snapshot? _snapshot;

    /// <summary>The key to sign with now (creating the bank's first key if there is none).</summary>
    public async Task<ActiveSigningKey> ActiveAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        // The newest key already active; a key still in its publish lead is skipped.
        var active = snapshot.Keys.Where(k => k.Key.ActivatesAt <= now).MaxBy(k => k.Key.ActivatesAt)
            ?? snapshot.Keys.MinBy(k => k.Key.ActivatesAt)!;
        return active.Active;
    }

    /// <summary>The published keys: every key not yet unpublished, public halves only (<c>use: sig</c>).</summary>
    public async Task<JsonWebKeySetDocument> JwksAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var keys = snapshot.Keys
            .Where(k => k.Key.UnpublishAt is null || k.Key.UnpublishAt > now)
            .OrderByDescending(k => k.Key.ActivatesAt)
            .Select(k => JsonDocument.Parse(k.Key.PublicJwk).RootElement.Clone())
            .ToList();
        return new JsonWebKeySetDocument(keys);
    }

    /// <summary>The key by its kid, published or not (for verifying what the bank signed, e.g. in the Portal's log).</summary>
    public async Task<SecurityKey?> PublicKeyAsync(string kid, CancellationToken cancellationToken = default)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        return snapshot.Keys.FirstOrDefault(k => k.Key.Kid == kid)?.Public;
    }

    /// <summary>Every key with its dates, newest first (for the admin view and the rotation command).</summary>
    public async Task<IReadOnlyList<BankSigningKey>> ListAsync(CancellationToken cancellationToken = default)
        => (await SnapshotAsync(cancellationToken)).Keys.Select(k => k.Key).OrderByDescending(k => k.ActivatesAt).ToList();

    /// <summary>
    /// Starts a rotation: a new key published now that signs from now + <see cref="SigningOptions.PublishLead"/>; the
    /// keys before it are superseded then and unpublished after the grace. <paramref name="immediately"/> skips the lead
    /// (for an emergency: a compromised key), which partners caching the JWKS see as an unknown kid until they refetch.
    /// </summary>
    public async Task<BankSigningKey> RotateAsync(bool immediately = false, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var activates = immediately ? now : now + options.Value.PublishLead;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var current = await db.BankSigningKeys.Where(k => k.SupersededAt == null).ToListAsync(cancellationToken);
            foreach (var key in current)
            {
                key.SupersededAt = activates;
                key.UnpublishAt = activates + options.Value.RetiredKeyGrace;
            }

            var created = NewKey(now, activates);
            db.BankSigningKeys.Add(created);
            await db.SaveChangesAsync(cancellationToken);
            _snapshot = null;
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached key set (another instance rotated, or a test changed the rows).</summary>
    public void Refresh() => _snapshot = null;

    private async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } cached && now - cached.LoadedAt < CacheFor)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } again && now - again.LoadedAt < CacheFor)
            {
                return again;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var keys = await db.BankSigningKeys.AsNoTracking().ToListAsync(cancellationToken);
            if (keys.Count == 0)
            {
                var first = NewKey(now.UtcDateTime, now.UtcDateTime);
                db.BankSigningKeys.Add(first);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    keys = [first];
                }
                catch (DbUpdateException)
                {
                    // Another instance created the first key at the same moment: use the stored one(s).
                    db.ChangeTracker.Clear();
                    keys = await db.BankSigningKeys.AsNoTracking().ToListAsync(cancellationToken);
                }
            }

            var snapshot = new Snapshot(now, keys.Select(Load).ToList());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private LoadedKey Load(BankSigningKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(key.ProtectedPrivateKey)), out _);
        var securityKey = new RsaSecurityKey(rsa) { KeyId = key.Kid };
        var publicKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)) { KeyId = key.Kid };
        return new LoadedKey(key, new ActiveSigningKey(key.Kid, new SigningCredentials(securityKey, Algorithm)), publicKey);
    }

    private BankSigningKey NewKey(DateTime now, DateTime activates)
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var n = Base64UrlEncoder.Encode(parameters.Modulus);
        var e = Base64UrlEncoder.Encode(parameters.Exponent);
        var thumbprint = JwkThumbprint.Rsa(n, e);
        var jwk = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = Algorithm,
            ["kid"] = thumbprint,
            ["n"] = n,
            ["e"] = e,
        });
        return new BankSigningKey
        {
            Kid = thumbprint,
            Algorithm = Algorithm,
            PublicJwk = jwk,
            ProtectedPrivateKey = _protector.Protect(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            ActivatesAt = activates,
        };
    }

    private sealed record LoadedKey(BankSigningKey Key, ActiveSigningKey Active, SecurityKey Public);

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyList<LoadedKey> Keys);
}

/// <summary>A JWK set as served: <c>{"keys":[…]}</c>.</summary>
public sealed record JsonWebKeySetDocument([property: System.Text.Json.Serialization.JsonPropertyName("keys")] IReadOnlyList<JsonElement> Keys);
