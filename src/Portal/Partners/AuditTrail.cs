using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;

namespace OpenBanking.Portal.Partners;

/// <summary>Writes audit entries and notifications in the same unit of work as the change they describe.</summary>
internal static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Snapshot<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static void Record(
        PortalDbContext db, DateTimeOffset now, PortalActor actor, string? actorRole, string action, string entityType, string entityId,
        Guid? organisationId, string? before, string? after)
        => db.AuditEntries.Add(new AuditEntry
        {
            Timestamp = now,
            Actor = actor.Email,
            ActorRole = actor.IsAdmin ? "Admin" : actorRole,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            OrganisationId = organisationId,
            Before = before,
            After = after,
        });

    public static void Notify(PortalDbContext db, DateTimeOffset now, Guid? organisationId, string message, string? link, NotificationSeverity severity = NotificationSeverity.Info)
        => db.Notifications.Add(new Notification
        {
            OrganisationId = organisationId,
            Message = message.Length > 500 ? message[..500] : message,
            Link = link,
            Severity = severity,
            CreatedAt = now,
        });
}
