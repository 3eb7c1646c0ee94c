using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Signing;

namespace OpenBanking.Sandbox.Infrastructure.EntityConfigurations;

internal sealed class EventSubscriptionConfiguration : IEntityTypeConfiguration<EventSubscription>
{
    public void Configure(EntityTypeBuilder<EventSubscription> builder)
    {
        builder.ToTable("EventSubscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(40);
        builder.Property(s => s.ClientId).HasMaxLength(100);
        // Encrypted (CallbackProtection): the ciphertext of a 2000-character URL outgrows nvarchar(4000).
        builder.Property(s => s.CallbackUrl);
        builder.Property(s => s.Version).HasMaxLength(10);
        builder.Property(s => s.EventTypes).HasMaxLength(1000);
        builder.Property(s => s.ApiVersion).HasMaxLength(10);
        builder.Ignore(s => s.EventTypeList);
        // One subscription per app (a second POST is a 409), enforced by the database too.
        builder.HasIndex(s => new { s.TenantId, s.ClientId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventNotificationConfiguration : IEntityTypeConfiguration<EventNotification>
{
    public void Configure(EntityTypeBuilder<EventNotification> builder)
    {
        builder.ToTable("EventNotifications");
        builder.Property(n => n.Jti).HasMaxLength(64);
        builder.Property(n => n.ClientId).HasMaxLength(100);
        builder.Property(n => n.EventType).HasMaxLength(128);
        builder.Property(n => n.ResourceType).HasMaxLength(64);
        builder.Property(n => n.ResourceId).HasMaxLength(128);
        builder.Property(n => n.ResourceStatus).HasMaxLength(40);
        builder.Property(n => n.Kid).HasMaxLength(64);
        builder.Property(n => n.CallbackUrl);
        builder.Property(n => n.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.RoundTrigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(n => n.LastError).HasMaxLength(500);
        builder.Property(n => n.SetError).HasMaxLength(40);
        builder.Property(n => n.SetErrorDescription).HasMaxLength(256);
        builder.HasIndex(n => n.Jti).IsUnique();
        // Dispatching the same outbox row twice (two instances, a crash between insert and mark) creates nothing new.
        builder.HasIndex(n => new { n.OutboxMessageId, n.EventType }).IsUnique().HasFilter("[OutboxMessageId] IS NOT NULL");
        // The deliverer's query: pending pushes by due time.
        builder.HasIndex(n => new { n.State, n.NextAttemptAt });
        // Polling and the Portal's log: an app's notifications in order.
        builder.HasIndex(n => new { n.TenantId, n.ClientId, n.Id });
        builder.HasIndex(n => n.ExpiresAt);
        builder.HasMany(n => n.DeliveryAttempts).WithOne().HasForeignKey(a => a.NotificationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(n => n.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EventDeliveryAttemptConfiguration : IEntityTypeConfiguration<EventDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<EventDeliveryAttempt> builder)
    {
        builder.ToTable("EventDeliveryAttempts");
        builder.Property(a => a.CallbackUrl);
        builder.Property(a => a.InteractionId).HasMaxLength(64);
        builder.Property(a => a.Error).HasMaxLength(500);
        builder.Property(a => a.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(a => new { a.NotificationId, a.Id });
    }
}

internal sealed class BankSigningKeyConfiguration : IEntityTypeConfiguration<BankSigningKey>
{
    public void Configure(EntityTypeBuilder<BankSigningKey> builder)
    {
        builder.ToTable("BankSigningKeys");
        builder.HasKey(k => k.Kid);
        builder.Property(k => k.Kid).HasMaxLength(64);
        builder.Property(k => k.Algorithm).HasMaxLength(10);
        builder.Property(k => k.PublicJwk).HasMaxLength(1000);
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(4000);
    }
}
