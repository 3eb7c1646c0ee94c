using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// <c>x-idempotency-key</c> as v3.1.11 has it: required on PIS POSTs, at most 40 characters, scoped to the client
/// and the operation, remembered for 24 hours. A repeat with the same body gets the original resource (its current
/// state) and changes nothing; the same key with another body is refused and changes nothing.
/// </summary>
public static partial class Idempotency
{
    public const string Header = "x-idempotency-key";
    public const int MaxLength = 40;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static string RequireKey(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.HeaderMissing, $"{Header} is required.", Header));
        }

        var key = values[0]!;
        if (values.Count > 1 || key.Length > MaxLength || !KeyPattern().IsMatch(key))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.HeaderInvalid,
                $"{Header} must be one value of 1 to {MaxLength} characters, not starting or ending with white space.", Header));
        }

        return key;
    }

    public static string Hash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>The live record of this key, if any; a different body under it is refused here (as <paramref name="conflict"/> says).</summary>
    public static async Task<IdempotencyRecord?> FindAsync(
        SandboxDbContext db, string clientId, string operation, string key, string requestHash, DateTime now, CancellationToken ct,
        KeyConflict conflict = KeyConflict.BadRequest)
    {
        var cutoff = now - Lifetime;
        var record = await PaymentQueries.LiveKey(db, clientId, operation, key, cutoff, ct);
        if (record is not null && record.RequestHash != requestHash)
        {
            throw conflict == KeyConflict.Conflict ? ConflictV4() : Conflict();
        }

        return record;
    }

    /// <summary>
    /// Claims the key in the caller's transaction, saved with the effect, so a key is never claimed without its effect
    /// or the reverse. The unique index makes a concurrent duplicate fail at the save.
    /// </summary>
    public static void Claim(SandboxDbContext db, string clientId, string operation, string key, string requestHash, string resourceId, DateTime now)
    {
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            ClientId = clientId,
            Operation = operation,
            Key = key,
            RequestHash = requestHash,
            ResourceId = resourceId,
            CreatedAt = now,
        });
    }

    /// <summary>Drops this key's claim if it is older than 24 hours; whether there was one.</summary>
    public static async Task<bool> PurgeExpiredAsync(SandboxDbContext db, string clientId, string operation, string key, DateTime now, CancellationToken ct)
    {
        var cutoff = now - Lifetime;
        return await db.IdempotencyRecords.Where(r => r.ClientId == clientId && r.Operation == operation && r.Key == key && r.CreatedAt <= cutoff)
            .ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Drops every claim older than 24 hours (the settlement worker does it now and then).</summary>
    public static Task<int> PurgeAllExpiredAsync(SandboxDbContext db, DateTime now, CancellationToken ct)
    {
        var cutoff = now - Lifetime;
        return db.IdempotencyRecords.Where(r => r.CreatedAt <= cutoff).ExecuteDeleteAsync(ct);
    }

    // v3.1.11 defines no status for a reused key with another body; the PIS YAML lists none but 400 (docs/payments.md).
    public static ObieException Conflict() => ObieException.BadRequest(new ObError(ObieErrorCodes.HeaderInvalid,
        $"This {Header} was used for a different request; use a new key for a new request.", Header));

    // v4.0 documents 409 on POST /domestic-payments (not on the consent POST): the key already names a resource.
    private static ObieException ConflictV4() => new(StatusCodes.Status409Conflict,
        $"This {Header} was used for a different request.", [new ObError(ObieErrorCodes.ResourceAlreadyExists,
            $"This {Header} was used for a different request; use a new key for a new request.", Header)]);

    [GeneratedRegex(@"^(?!\s)(.*)(\S)$")]
    private static partial Regex KeyPattern();
}

/// <summary>How a reused <c>x-idempotency-key</c> with another body is refused.</summary>
public enum KeyConflict
{
    /// <summary>400 <c>UK.OBIE.Header.Invalid</c> (v3.1.11 everywhere; v4.0 where its YAML lists no 409).</summary>
    BadRequest,

    /// <summary>409 <c>U029</c> (v4.0 operations whose YAML lists 409).</summary>
    Conflict,
}
