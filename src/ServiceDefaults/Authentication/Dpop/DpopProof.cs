using Microsoft.EntityFrameworkCore;

namespace OpenBanking.ServiceDefaults.Authentication.Dpop;

/// <summary>
/// A DPoP proof seen by a service (RFC 9449 §11.1, replay): the key is a hash of the proof key's thumbprint and its
/// <c>jti</c>, kept until the proof could no longer be accepted anyway. One table per service database, so every
/// instance of the service shares it.
/// </summary>
public sealed class DpopProof
{
    /// <summary>The first 16 bytes of SHA-256(<c>jkt</c> + "." + <c>jti</c>).</summary>
    public required byte[] Key { get; set; }

    /// <summary>UTC; after it the row is deleted (the proof's <c>iat</c> is outside the accepted window by then).</summary>
    public DateTime ExpiresAt { get; set; }
}

/// <summary>The EF Core mapping of <see cref="DpopProof"/>, shared by the services that keep a replay cache.</summary>
public static class DpopProofModel
{
    /// <summary>The table's name in every service database.</summary>
    public const string Table = "DpopProofs";

    /// <summary>Maps <see cref="DpopProof"/> into a service's model (its migrations then create the table).</summary>
    public static ModelBuilder AddDpopProofs(this ModelBuilder builder)
    {
        builder.Entity<DpopProof>(proof =>
        {
            proof.ToTable(Table);
            proof.HasKey(p => p.Key);
            proof.Property(p => p.Key).HasMaxLength(16).IsFixedLength();
            proof.HasIndex(p => p.ExpiresAt);
        });
        return builder;
    }
}

/// <summary>The replay cache of DPoP proofs, shared by every instance of a service (a table in its database).</summary>
public interface IDpopReplayStore
{
    /// <summary>Records a proof; false when it was recorded before (a replay).</summary>
    ValueTask<bool> TryRecordAsync(string jkt, string jti, DateTime expiresAtUtc, CancellationToken cancellationToken);
}
