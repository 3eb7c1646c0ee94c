using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;

namespace OpenBanking.Portal.Partners;

/// <summary>Who is acting and in which organisation, read afresh for every action (a removed member loses access at once).</summary>
public sealed record PartnerContext(PortalActor Actor, Membership? Membership, Organisation? Organisation)
{
    public bool HasOrganisation => Organisation is not null && Membership is not null;

    public TeamRole? Role => Membership?.Role;

    public bool CanManageApps => HasOrganisation && Role >= TeamRole.Developer;

    public bool CanManageTeam => HasOrganisation && Role == TeamRole.Owner;

    public bool IsApproved => Organisation?.Status == OrganisationStatus.Approved;

    /// <summary>The organisation, or a refusal when the person has none.</summary>
    public Organisation RequireOrganisation()
        => Organisation ?? throw new PortalForbiddenException("You are not a member of an organisation yet.");

    public void Require(TeamRole role, string what)
    {
        RequireOrganisation();
        if (Role < role)
        {
            throw new PortalForbiddenException($"Only an organisation's {(role == TeamRole.Owner ? "owners" : "owners and developers")} can {what}.");
        }
    }
}

/// <summary>
/// Resolves the signed-in person to their membership. The seeded Development partner's membership and accepted
/// invitations are bound to Identity's subject on first sign-in by the confirmed e-mail address.
/// </summary>
public sealed class CurrentPartner(AuthenticationStateProvider authentication, IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<PortalActor> GetActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return PortalActor.From(state.User) ?? throw new PortalForbiddenException("Sign in first.");
    }

    public async Task<PartnerContext> GetAsync(CancellationToken ct = default)
    {
        var actor = await GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, actor, ct);
    }

    internal static async Task<PartnerContext> LoadAsync(PortalDbContext db, PortalActor actor, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == actor.UserId, ct);
        if (membership is null)
        {
            // A membership made for this address before the person had signed in (the Development seed).
            var candidates = await db.Memberships
                .Where(m => m.UserId == null && m.Email == actor.Email && m.AcceptedAt != null)
                .ToListAsync(ct);
            membership = candidates.OrderBy(m => m.CreatedAt).FirstOrDefault();
            if (membership is not null)
            {
                membership.UserId = actor.UserId;
                membership.DisplayName ??= actor.Name;
                await db.SaveChangesAsync(ct);
            }
        }

        var organisation = membership is null ? null : await db.Organisations.SingleOrDefaultAsync(o => o.Id == membership.OrganisationId, ct);
        return new PartnerContext(actor, membership, organisation);
    }
}
