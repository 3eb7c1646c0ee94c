using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// The signed-in partner's sandbox test clock, as the Sandbox page's clock panel uses it: read it, see what a move would
/// run, then move it. An interface so the panel can be tested without the platform.
/// </summary>
public interface ISandboxClock
{
    Task<TenantClock> GetAsync(CancellationToken ct = default);

    /// <param name="until">An ISO 8601 duration ("P1D") or an RFC 3339 time.</param>
    Task<ClockPreview> PreviewAsync(string until, CancellationToken ct = default);

    /// <summary>Owners and developers only, as the reset is; recorded in the audit log.</summary>
    Task<ClockMoved> MoveAsync(ClockMove move, CancellationToken ct = default);
}
