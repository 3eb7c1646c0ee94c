using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;

namespace OpenBanking.Portal.Partners;

/// <summary>A partner registers their organisation (Pending until an admin decides) and keeps its details up to date.</summary>
public sealed class OrganisationService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Organisation> RegisterAsync(OrganisationForm form, CancellationToken ct = default)
    {
        form.EnsureValid();
        var actor = await current.GetActorAsync();
        if (actor.IsAdmin)
        {
            throw new PortalForbiddenException("Bank admins do not register partner organisations.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        if (context.HasOrganisation)
        {
            throw new PortalValidationException("", $"You are already a member of {context.Organisation!.LegalName}.");
        }

        var now = clock.GetUtcNow();
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(),
            LegalName = form.LegalName!.Trim(),
            Status = OrganisationStatus.Pending,
            CreatedAt = now,
            StatusUpdatedAt = now,
        };
        Apply(form, organisation);
        db.Organisations.Add(organisation);
        db.Memberships.Add(new Membership
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            UserId = actor.UserId,
            Email = actor.Email,
            DisplayName = actor.Name,
            Role = TeamRole.Owner,
            CreatedAt = now,
            AcceptedAt = now,
        });
        AuditTrail.Record(db, now, actor, nameof(TeamRole.Owner), AuditActions.OrganisationRegistered, nameof(Organisation), organisation.Id.ToString(),
            organisation.Id, null, AuditTrail.Snapshot(organisation));
        AuditTrail.Notify(db, now, null, $"{organisation.LegalName} registered and waits for review.", "/admin/review");
        AuditTrail.Notify(db, now, organisation.Id, "Thanks — your organisation is registered. The bank reviews it, usually within a working day.", "/organisation");
        await db.SaveChangesAsync(ct);
        return organisation;
    }

    public async Task<Organisation> UpdateAsync(OrganisationForm form, CancellationToken ct = default)
    {
        form.EnsureValid();
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Owner, "change the organisation's details");
        var organisation = context.Organisation!;
        var before = AuditTrail.Snapshot(organisation);
        var previousName = organisation.LegalName;
        var now = clock.GetUtcNow();
        bool backToReview;
        try
        {
            // Until the bank approves a new name, the apps keep working and consent pages keep showing the name it
            // approved (Identity holds that copy).
            backToReview = organisation.Rename(form.LegalName!.Trim(), now);
        }
        catch (OrganisationTransitionException exception)
        {
            throw new PortalForbiddenException(exception.Message);
        }

        Apply(form, organisation);
        if (backToReview)
        {
            AuditTrail.Notify(db, now, null, $"{previousName} asks to be renamed {organisation.LegalName}.", "/admin/review");
        }

        AuditTrail.Record(db, now, actor, context.Role.ToString(), backToReview ? AuditActions.OrganisationRenamed : AuditActions.OrganisationUpdated, nameof(Organisation),
            organisation.Id.ToString(), organisation.Id, before, AuditTrail.Snapshot(organisation));
        await db.SaveChangesAsync(ct);
        return organisation;
    }

    /// <summary>The latest notifications for the person: their organisation's, or the admins' for an admin.</summary>
    public async Task<IReadOnlyList<Notification>> NotificationsAsync(int take = 20, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Guid? organisationId = null;
        if (!actor.IsAdmin)
        {
            var context = await CurrentPartner.LoadAsync(db, actor, ct);
            if (!context.HasOrganisation)
            {
                return [];
            }

            organisationId = context.Organisation!.Id;
        }

        var query = db.Notifications.AsNoTracking().Where(n => n.OrganisationId == organisationId);
        // SQLite cannot order by DateTimeOffset; the id grows with time.
        return await query.OrderByDescending(n => n.Id).Take(take).ToListAsync(ct);
    }

    private static void Apply(OrganisationForm form, Organisation organisation)
    {
        organisation.RegistrationNumber = form.RegistrationNumber?.Trim();
        organisation.Country = form.Country;
        organisation.Website = form.Website?.Trim();
        organisation.ContactName = form.ContactName?.Trim();
        organisation.ContactEmail = form.ContactEmail?.Trim();
        organisation.Description = form.Description?.Trim();
        organisation.RequestedRoles = form.Roles;
    }
}
