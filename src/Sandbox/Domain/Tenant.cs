namespace OpenBanking.Sandbox.Domain;

/// <summary>
/// One partner organisation's private sandbox bank. Its data is generated from <see cref="Seed"/>, so a reset
/// regenerates exactly the initial state.
/// </summary>
public sealed class Tenant
{
    public Guid Id { get; set; }

    /// <summary>The partner organisation's id, as carried in its apps' access tokens.</summary>
    public required string OrganisationId { get; set; }

    /// <summary>Seed of the deterministic data generator, derived from the organisation id.</summary>
    public int Seed { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastResetAt { get; set; }

    /// <summary>
    /// How far the tenant's test clock runs ahead of real time while it runs (zero: real time). See <c>TenantClocks</c>.
    /// </summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>The instant the tenant's test clock stands at while frozen; null while it runs.</summary>
    public DateTimeOffset? ClockFrozenAt { get; set; }

    /// <summary>The tenant's own charges tariff for payments abroad (JSON, see <c>Fx.ChargeTariff</c>); null: the bank's default.</summary>
    public string? ChargeTariffJson { get; set; }

    /// <summary>A stable 32-bit seed from the organisation id (string.GetHashCode is randomised per process).</summary>
    public static int SeedFor(string organisationId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(organisationId));
        return BitConverter.ToInt32(hash, 0) & int.MaxValue;
    }
}
