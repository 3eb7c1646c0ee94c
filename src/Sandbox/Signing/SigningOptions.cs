namespace OpenBanking.Sandbox.Signing;

/// <summary>Configuration section <c>Signing</c>.</summary>
public sealed class SigningOptions
{
    public const string SectionName = "Signing";

    /// <summary>
    /// How long a rotated-in key is published before it signs anything, so partners that cache the JWKS (it is served
    /// with <see cref="JwksMaxAge"/>) see it before the first SET it signs. Default 15 minutes.
    /// </summary>
    public TimeSpan PublishLead { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long partners may cache the JWKS (Cache-Control max-age). Default 5 minutes.</summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a superseded key stays published: at least as long as the SETs it signed live
    /// (<c>Events:Retention</c>), so any SET a partner can still receive verifies. Default 8 days.
    /// </summary>
    public TimeSpan RetiredKeyGrace { get; set; } = TimeSpan.FromDays(8);
}
