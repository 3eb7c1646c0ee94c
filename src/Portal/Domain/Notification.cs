namespace OpenBanking.Portal.Domain;

/// <summary>A message in the Portal for an organisation's members or for the bank's admins.</summary>
public sealed class Notification
{
    public long Id { get; set; }

    /// <summary>The organisation whose members see it; null for a message to the admins.</summary>
    public Guid? OrganisationId { get; set; }

    public required string Message { get; set; }

    /// <summary>A Portal-relative link to what it is about.</summary>
    public string? Link { get; set; }

    public NotificationSeverity Severity { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum NotificationSeverity
{
    Info,
    Success,
    Warning,
    Error,
}
