using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.ServiceDefaults.Encryption;

namespace OpenBanking.Sandbox.Events;

/// <summary>
/// Partners' callback URLs are encrypted at rest wherever they are kept (the subscription, each notification's copy,
/// each attempt's): a callback path often carries a partner's own secret (a webhook token), and the database is the
/// copy most likely to leak (backups, support extracts). The code reads and writes them in clear through value
/// converters; nothing filters on them in SQL (equal URLs have different ciphertexts).
/// </summary>
internal static class ProtectedCallbacks
{
    public const string SubscriptionPurpose = "Sandbox.EventSubscriptions.CallbackUrl";
    public const string NotificationPurpose = "Sandbox.EventNotifications.CallbackUrl";
    public const string AttemptPurpose = "Sandbox.EventDeliveryAttempts.CallbackUrl";

    public static void Configure(ModelBuilder modelBuilder, ColumnProtector? protector)
    {
        modelBuilder.Entity<EventSubscription>().Property(s => s.CallbackUrl!).IsProtected(protector, SubscriptionPurpose);
        modelBuilder.Entity<EventNotification>().Property(n => n.CallbackUrl!).IsProtected(protector, NotificationPurpose);
        modelBuilder.Entity<EventDeliveryAttempt>().Property(a => a.CallbackUrl).IsProtected(protector, AttemptPurpose);
    }

    /// <summary>The columns the <c>rotate-keys</c> command re-encrypts.</summary>
    public static IServiceCollection AddProtectedCallbacks(this IServiceCollection services)
    {
        services.AddSingleton<IProtectedStore>(new SqlProtectedColumn<SandboxDbContext, string>("EventSubscriptions", "Id", "CallbackUrl", SubscriptionPurpose));
        services.AddSingleton<IProtectedStore>(new SqlProtectedColumn<SandboxDbContext, long>("EventNotifications", "Id", "CallbackUrl", NotificationPurpose));
        services.AddSingleton<IProtectedStore>(new SqlProtectedColumn<SandboxDbContext, long>("EventDeliveryAttempts", "Id", "CallbackUrl", AttemptPurpose));
        return services;
    }
}
