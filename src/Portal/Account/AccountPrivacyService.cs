using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Account;

/// <summary>
/// A partner user's rights over their own data (GDPR articles 15, 17, 20): an export combining what Identity and the
/// Portal hold about them, and the erasure of their account. Always for the signed-in person, never for someone else:
/// the actor comes from the session, never from a parameter.
/// </summary>
public sealed partial class AccountPrivacyService(
    IDbContextFactory<PortalDbContext> dbFactory, IdentityClientsClient identity, TimeProvider clock, ILogger<AccountPrivacyService> logger)
{
    public const string ErasedAction = "account.erased";

    internal static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    /// <summary>Everything about the person: Identity's account record and the Portal's records by or about them.</summary>
    public async Task<PersonalDataExport> ExportAsync(PortalActor actor, CancellationToken ct = default)
    {
        var account = await AppService.CallIdentityAsync(() => identity.ExportUserAsync(actor.UserId, ct));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.LegalName, ct);
        string? NameOf(Guid? id) => id is { } key && organisations.TryGetValue(key, out var name) ? name : null;

        var mine = await db.Memberships.AsNoTracking().Where(m => m.UserId == actor.UserId || m.Email == actor.Email).ToListAsync(ct);
        var sent = await db.Memberships.AsNoTracking().Where(m => m.InvitedBy == actor.Email && m.AcceptedAt == null).ToListAsync(ct);
        var apps = await db.Apps.AsNoTracking().Where(a => a.CreatedBy == actor.Email).ToListAsync(ct);
        var requests = await db.ProductionAccessRequests.AsNoTracking()
            .Where(r => r.RequestedBy == actor.Email || r.DecidedBy == actor.Email).ToListAsync(ct);
        var contacts = await db.Organisations.AsNoTracking().Where(o => o.ContactEmail == actor.Email).ToListAsync(ct);
        var membershipIds = mine.Select(m => m.Id.ToString()).ToList();
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Actor == actor.Email || (e.EntityType == nameof(Membership) && membershipIds.Contains(e.EntityId)))
            .OrderBy(e => e.Id)
            .ToListAsync(ct);

        return new PersonalDataExport(
            clock.GetUtcNow(),
            "This file holds what the developer portal and its identity service keep about you. Keep it safe: it names you.",
            account,
            new PortalRecords(
                [.. mine.Where(m => !m.IsInvitation).Select(m => new MembershipRecord(m.OrganisationId, NameOf(m.OrganisationId), m.Email, m.DisplayName, m.Role, m.InvitedBy, m.CreatedAt, m.AcceptedAt))],
                [.. mine.Where(m => m.IsInvitation).Select(m => new InvitationRecord(m.OrganisationId, NameOf(m.OrganisationId), m.Email, m.Role, m.InvitedBy, m.CreatedAt, m.ExpiresAt))],
                [.. sent.Select(m => new InvitationRecord(m.OrganisationId, NameOf(m.OrganisationId), m.Email, m.Role, m.InvitedBy, m.CreatedAt, m.ExpiresAt))],
                [.. apps.Select(a => new AppRecord(a.ClientId, a.Name, a.OrganisationId, NameOf(a.OrganisationId), a.CreatedAt))],
                [.. requests.Select(r => new ProductionRequestRecord(r.ClientId, r.OrganisationId, r.RequestedBy == actor.Email ? "requested" : "decided", r.RequestedAt, r.Status, r.Note, r.DecidedAt))],
                [.. contacts.Select(o => new ContactRecord(o.Id, o.LegalName, o.ContactName, o.ContactEmail))],
                [.. audit.Select(e => new AuditRecord(e.Timestamp, e.Actor, e.ActorRole, e.Action, e.EntityType, e.EntityId, e.OrganisationId, NameOf(e.OrganisationId), e.Before, e.After))]));
    }

    /// <summary>
    /// Why the person may not erase their account now, in plain words (empty: they may). A last owner would leave an
    /// organisation nobody can manage; a bank admin's account is a staff account, and the bank must keep an admin.
    /// </summary>
    public async Task<IReadOnlyList<string>> BlockersAsync(PortalActor actor, CancellationToken ct = default)
    {
        var blockers = new List<string>();
        if (actor.IsAdmin)
        {
            blockers.Add("You are a bank admin. An admin account is the bank's staff account and is not deleted here: ask another admin to "
                + "remove your Admin role first (the bank always keeps at least one admin), then delete your account.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owned = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == actor.UserId && m.Role == TeamRole.Owner && m.AcceptedAt != null)
            .Select(m => m.OrganisationId)
            .ToListAsync(ct);
        foreach (var organisationId in owned)
        {
            var owners = await db.Memberships.CountAsync(m => m.OrganisationId == organisationId && m.Role == TeamRole.Owner && m.AcceptedAt != null, ct);
            if (owners <= 1)
            {
                var name = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.LegalName).SingleAsync(ct);
                blockers.Add($"You are the last owner of {name}. Make another member an owner on the Organisation page first "
                    + "(invite someone if you are alone), then delete your account.");
            }
        }

        return blockers;
    }

    /// <summary>
    /// Erases the account: the Portal's step first, in one transaction, then Identity's. A failure at Identity leaves
    /// a person who can still sign in, with nothing left in the Portal, and who can simply ask again: both steps are safe to
    /// repeat. The other order could leave personal data in the Portal of someone who can no longer sign in to ask.
    /// </summary>
    /// <exception cref="PortalValidationException">The person may not erase their account now (see <see cref="BlockersAsync"/>).</exception>
    public async Task<string> EraseAsync(PortalActor actor, string? confirmation, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.Equals(confirmation?.Trim(), actor.Email, StringComparison.OrdinalIgnoreCase))
        {
            errors["confirmation"] = [$"Type your e-mail address ({actor.Email}) to confirm."];
        }

        var blockers = await BlockersAsync(actor, ct);
        if (blockers.Count > 0)
        {
            errors[""] = [.. blockers];
        }

        if (errors.Count > 0)
        {
            throw new PortalValidationException(errors);
        }

        var pseudonym = ErasedUsers.Pseudonym(actor.UserId);
        var changed = await ErasePortalRecordsAsync(actor, pseudonym, ct);
        var erasure = await AppService.CallIdentityAsync(() => identity.EraseUserAsync(actor.UserId, ct));
        PrivacyLog.Erased(logger, pseudonym, changed, erasure.TokensRevoked, erasure.AuthorizationsRevoked);
        return pseudonym;
    }

    private async Task<int> ErasePortalRecordsAsync(PortalActor actor, string pseudonym, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AllowAuditPseudonymisation();
        var email = actor.Email;
        var memberships = await db.Memberships.Where(m => m.UserId == actor.UserId || m.Email == email).ToListAsync(ct);
        var organisationIds = memberships.Where(m => !m.IsInvitation).Select(m => m.OrganisationId).Distinct().ToList();
        var names = memberships.Select(m => m.DisplayName).Append(actor.Name)
            .Where(n => n is { Length: >= 3 } && !n.Contains('@')).Distinct().Cast<string>().ToList();
        var membershipIds = memberships.Select(m => m.Id.ToString()).ToList();

        db.Memberships.RemoveRange(memberships);
        foreach (var invitation in await db.Memberships.Where(m => m.InvitedBy == email).ToListAsync(ct))
        {
            invitation.InvitedBy = pseudonym;
        }

        // The organisation keeps its apps; who created them becomes the pseudonym.
        foreach (var app in await db.Apps.Where(a => a.CreatedBy == email).ToListAsync(ct))
        {
            app.CreatedBy = pseudonym;
        }

        foreach (var request in await db.ProductionAccessRequests.Where(r => r.RequestedBy == email || r.DecidedBy == email).ToListAsync(ct))
        {
            request.RequestedBy = request.RequestedBy == email ? pseudonym : request.RequestedBy;
            request.DecidedBy = request.DecidedBy == email ? pseudonym : request.DecidedBy;
        }

        foreach (var organisation in await db.Organisations.Where(o => o.ContactEmail == email).ToListAsync(ct))
        {
            organisation.ContactEmail = null;
            organisation.ContactName = null;
        }

        // The audit trail stays (the bank must know what was done), naming the pseudonym: as actor, and inside the
        // snapshots of memberships, which hold the address, the subject and the name.
        var userId = actor.UserId;
        var audit = await db.AuditEntries
            .Where(e => e.Actor == email || (e.EntityType == nameof(Membership) && membershipIds.Contains(e.EntityId))
                || (e.Before != null && (e.Before.Contains(email) || e.Before.Contains(userId)))
                || (e.After != null && (e.After.Contains(email) || e.After.Contains(userId))))
            .ToListAsync(ct);
        foreach (var entry in audit)
        {
            entry.Actor = entry.Actor == email ? pseudonym : entry.Actor;
            entry.Before = Scrub(entry.Before, email, userId, names, pseudonym);
            entry.After = Scrub(entry.After, email, userId, names, pseudonym);
        }

        foreach (var notification in await db.Notifications.Where(n => n.OrganisationId != null && organisationIds.Contains(n.OrganisationId.Value)).ToListAsync(ct))
        {
            notification.Message = Scrub(notification.Message, email, userId, names, pseudonym)!;
        }

        var changes = db.ChangeTracker.Entries().Count(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (changes > 0 || !await db.AuditEntries.AnyAsync(e => e.Action == ErasedAction && e.EntityId == pseudonym, ct))
        {
            db.AuditEntries.Add(new AuditEntry
            {
                Timestamp = clock.GetUtcNow(),
                Actor = pseudonym,
                ActorRole = memberships.FirstOrDefault(m => !m.IsInvitation)?.Role.ToString(),
                Action = ErasedAction,
                EntityType = "User",
                EntityId = pseudonym,
                OrganisationId = organisationIds.Count == 1 ? organisationIds[0] : null,
            });
        }

        // One SaveChanges: one transaction, so the Portal's step happens whole or not at all.
        await db.SaveChangesAsync(ct);
        return changes;
    }

    private static string? Scrub(string? text, string email, string userId, IReadOnlyList<string> names, string pseudonym)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var result = text.Replace(email, pseudonym, StringComparison.OrdinalIgnoreCase).Replace(userId, pseudonym, StringComparison.Ordinal);
        foreach (var name in names)
        {
            result = result.Replace(name, pseudonym, StringComparison.Ordinal);
        }

        return result;
    }

    private static partial class PrivacyLog
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Account erased as {Pseudonym}: {PortalChanges} Portal records removed or pseudonymised, {Tokens} tokens and {Authorizations} authorizations revoked at Identity")]
        public static partial void Erased(ILogger logger, string pseudonym, int portalChanges, int tokens, int authorizations);
    }
}

/// <summary>The download: one JSON document.</summary>
public sealed record PersonalDataExport(DateTimeOffset ExportedAt, string About, JsonElement Identity, PortalRecords Portal);

public sealed record PortalRecords(
    IReadOnlyList<MembershipRecord> Memberships,
    IReadOnlyList<InvitationRecord> InvitationsReceived,
    IReadOnlyList<InvitationRecord> InvitationsSent,
    IReadOnlyList<AppRecord> AppsCreated,
    IReadOnlyList<ProductionRequestRecord> ProductionAccessRequests,
    IReadOnlyList<ContactRecord> OrganisationContact,
    IReadOnlyList<AuditRecord> AuditEntries);

public sealed record MembershipRecord(Guid OrganisationId, string? Organisation, string Email, string? DisplayName, TeamRole Role, string? InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset? AcceptedAt);

public sealed record InvitationRecord(Guid OrganisationId, string? Organisation, string Email, TeamRole Role, string? InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record AppRecord(string ClientId, string Name, Guid OrganisationId, string? Organisation, DateTimeOffset CreatedAt);

public sealed record ProductionRequestRecord(string ClientId, Guid OrganisationId, string YourPart, DateTimeOffset RequestedAt, ProductionAccess Status, string? Note, DateTimeOffset? DecidedAt);

public sealed record ContactRecord(Guid OrganisationId, string Organisation, string? ContactName, string? ContactEmail);

public sealed record AuditRecord(
    DateTimeOffset Timestamp, string Actor, string? ActorRole, string Action, string EntityType, string EntityId, Guid? OrganisationId, string? Organisation,
    string? Before, string? After);
