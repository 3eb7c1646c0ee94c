using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// The organisation's team. Owners invite people by e-mail (Owner, Developer or Viewer) and remove members; the
/// invited person sees the invitation when they sign in with that (confirmed) address and accepts or declines it.
/// </summary>
public sealed class TeamService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<Membership>> ListAsync(CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = (await CurrentPartner.LoadAsync(db, actor, ct)).RequireOrganisation();
        var members = await db.Memberships.AsNoTracking().Where(m => m.OrganisationId == organisation.Id).ToListAsync(ct);
        return [.. members.OrderBy(m => m.IsInvitation).ThenByDescending(m => m.Role).ThenBy(m => m.Email, StringComparer.Ordinal)];
    }

    public async Task<Membership> InviteAsync(string? email, TeamRole role, CancellationToken ct = default)
    {
        var address = email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(address) || address.Length > 256 || !new EmailAddressAttribute().IsValid(address))
        {
            throw new PortalValidationException("email", "Enter a valid e-mail address.");
        }

        if (!Enum.IsDefined(role))
        {
            throw new PortalValidationException("role", "Choose Owner, Developer or Viewer.");
        }

        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Owner, "invite people");
        var organisation = context.Organisation!;
        var now = clock.GetUtcNow();
        var existing = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == organisation.Id && m.Email == address, ct);
        if (existing is { IsInvitation: false })
        {
            throw new PortalValidationException("email", $"{address} is already a member.");
        }

        if (existing is not null)
        {
            // Inviting again renews the invitation (and may change its role).
            var before = AuditTrail.Snapshot(existing);
            existing.Role = role;
            existing.InvitedBy = actor.Email;
            existing.ExpiresAt = now + InvitationLifetime;
            AuditTrail.Record(db, now, actor, context.Role.ToString(), AuditActions.MemberReinvited, nameof(Membership), existing.Id.ToString(),
                organisation.Id, before, AuditTrail.Snapshot(existing));
            await db.SaveChangesAsync(ct);
            return existing;
        }

        var invitation = new Membership
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            Email = address,
            Role = role,
            InvitedBy = actor.Email,
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
        };
        db.Memberships.Add(invitation);
        AuditTrail.Record(db, now, actor, context.Role.ToString(), AuditActions.MemberInvited, nameof(Membership), invitation.Id.ToString(),
            organisation.Id, null, AuditTrail.Snapshot(invitation));
        await db.SaveChangesAsync(ct);
        return invitation;
    }

    public async Task RemoveAsync(Guid membershipId, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Owner, "remove members");
        var organisation = context.Organisation!;
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId && m.OrganisationId == organisation.Id, ct)
            ?? throw new PortalNotFoundException("That member was not found.");
        if (membership is { IsInvitation: false, Role: TeamRole.Owner }
            && await db.Memberships.CountAsync(m => m.OrganisationId == organisation.Id && m.Role == TeamRole.Owner && m.AcceptedAt != null, ct) == 1)
        {
            throw new PortalValidationException("", "An organisation keeps at least one owner: make someone else an owner first.");
        }

        db.Memberships.Remove(membership);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), membership.IsInvitation ? AuditActions.MemberInvitationWithdrawn : AuditActions.MemberRemoved,
            nameof(Membership), membership.Id.ToString(), organisation.Id, AuditTrail.Snapshot(membership), null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Gives a member (or an open invitation) another role; the organisation keeps at least one owner.</summary>
    public async Task ChangeRoleAsync(Guid membershipId, TeamRole role, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(role))
        {
            throw new PortalValidationException("role", "Choose Owner, Developer or Viewer.");
        }

        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Owner, "change roles");
        var organisation = context.Organisation!;
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId && m.OrganisationId == organisation.Id, ct)
            ?? throw new PortalNotFoundException("That member was not found.");
        if (membership.Role == role)
        {
            return;
        }

        if (membership is { IsInvitation: false, Role: TeamRole.Owner }
            && await db.Memberships.CountAsync(m => m.OrganisationId == organisation.Id && m.Role == TeamRole.Owner && m.AcceptedAt != null, ct) == 1)
        {
            throw new PortalValidationException("", "An organisation keeps at least one owner: make someone else an owner first.");
        }

        var before = AuditTrail.Snapshot(membership);
        membership.Role = role;
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), AuditActions.MemberRoleChanged, nameof(Membership), membership.Id.ToString(),
            organisation.Id, before, AuditTrail.Snapshot(membership));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Open invitations for the signed-in person's confirmed address.</summary>
    public async Task<IReadOnlyList<(Membership Invitation, string OrganisationName)>> MyInvitationsAsync(CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var rows = await db.Memberships.AsNoTracking()
            .Where(m => m.Email == actor.Email && m.AcceptedAt == null)
            .Join(db.Organisations, m => m.OrganisationId, o => o.Id, (m, o) => new { m, o.LegalName })
            .ToListAsync(ct);
        return [.. rows.Where(r => r.m.ExpiresAt > now).Select(r => (r.m, r.LegalName))];
    }

    public async Task AcceptAsync(Guid invitationId, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        if (actor.IsAdmin)
        {
            throw new PortalForbiddenException("Bank admins cannot join partner organisations.");
        }

        if (context.HasOrganisation)
        {
            throw new PortalValidationException("", $"You are already a member of {context.Organisation!.LegalName}; leave it first.");
        }

        var invitation = await FindInvitationAsync(db, actor, invitationId, ct);
        var before = AuditTrail.Snapshot(invitation);
        var now = clock.GetUtcNow();
        invitation.UserId = actor.UserId;
        invitation.DisplayName = actor.Name;
        invitation.AcceptedAt = now;
        AuditTrail.Record(db, now, actor, invitation.Role.ToString(), AuditActions.MemberJoined, nameof(Membership), invitation.Id.ToString(),
            invitation.OrganisationId, before, AuditTrail.Snapshot(invitation));
        AuditTrail.Notify(db, now, invitation.OrganisationId, $"{actor.Name} joined the team as {invitation.Role}.", "/organisation");
        await db.SaveChangesAsync(ct);
    }

    public async Task DeclineAsync(Guid invitationId, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invitation = await FindInvitationAsync(db, actor, invitationId, ct);
        db.Memberships.Remove(invitation);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, null, AuditActions.MemberInvitationDeclined, nameof(Membership), invitation.Id.ToString(),
            invitation.OrganisationId, AuditTrail.Snapshot(invitation), null);
        await db.SaveChangesAsync(ct);
    }

    private async Task<Membership> FindInvitationAsync(PortalDbContext db, PortalActor actor, Guid invitationId, CancellationToken ct)
    {
        var invitation = await db.Memberships.SingleOrDefaultAsync(m => m.Id == invitationId && m.Email == actor.Email && m.AcceptedAt == null, ct);
        return invitation is null || invitation.ExpiresAt <= clock.GetUtcNow()
            ? throw new PortalNotFoundException("That invitation was not found or has expired.")
            : invitation;
    }
}
