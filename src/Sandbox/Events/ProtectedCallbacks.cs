using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.ServiceDefaults.Encryption;

namespace OpenBanking.Sandbox.Events;

/// <summary>
/// Partners' callback URLs are encrypted at rest wherever they are kept (the subscription, each notification's copy,
/// each attempt's): a callback path often carries a partner's own secret (a webhook token), and the database is the
/// copy most likely to leak (backups, support extracts). The entities hold the stored form; code encrypts on the way
/// in and decrypts where a URL is used or shown.
/// </summary>
/// <remarks>
/// Explicit rather than an EF value converter: a converter would put this host's keys into the EF model, which is
/// shared by every context of the type (and by compiled queries), so test hosts in one process would share keys.
/// One purpose for the three columns: they hold copies of one datum, and a notification copies its subscription's
/// value as stored (dispatch and re-pointing need no decryption). Equal URLs have different ciphertexts, so code
/// compares stored values only to ask "unchanged since I read it", never "same URL".
/// </remarks>
public sealed class CallbackProtection(ColumnProtector protector)
{
    public const string Purpose = "Sandbox.Events.CallbackUrl";

    /// <summary>The stored form of a URL; null stays null.</summary>
    public string? Protect(string? url) => protector.ProtectOrNull(Purpose, url);

    /// <summary>The URL of a stored value (legacy plaintext as it is); null stays null.</summary>
    public string? Reveal(string? stored) => protector.UnprotectOrNull(Purpose, stored);
}

internal static class ProtectedCallbacks
{
    /// <summary>The protection and the columns the <c>rotate-keys</c> command re-encrypts.</summary>
    public static IServiceCollection AddProtectedCallbacks(this IServiceCollection services)
    {
        services.AddSingleton<CallbackProtection>();
        services.AddSingleton<IProtectedStore>(new SqlProtectedColumn<SandboxDbContext, string>("EventSubscriptions", "Id", "CallbackUrl", CallbackProtection.Purpose));
        services.AddSingleton<IProtectedStore>(new SqlProtectedColumn<SandboxDbContext, long>("EventNotifications", "Id", "CallbackUrl", CallbackProtection.Purpose));
        services.AddSingleton<IProtectedStore>(new SqlProtectedColumn<SandboxDbContext, long>("EventDeliveryAttempts", "Id", "CallbackUrl", CallbackProtection.Purpose));
        return services;
    }
}
