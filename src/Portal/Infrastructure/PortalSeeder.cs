using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Infrastructure;

/// <summary>
/// Development seed: the approved demo organisation of README.md with the demo partner as its owner (bound to their
/// Identity account at first sign-in by the confirmed e-mail address) and the demo app (payment access granted).
/// </summary>
internal sealed class PortalSeeder(TimeProvider clock) : IDatabaseSeeder<PortalDbContext>
{
    public async Task SeedAsync(PortalDbContext context, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(DevelopmentSeed.DemoOrganisationId);
        var now = clock.GetUtcNow();
        if (!await context.Organisations.AnyAsync(o => o.Id == id, cancellationToken))
        {
            var organisation = new Organisation
            {
                Id = id,
                LegalName = DevelopmentSeed.DemoOrganisationName,
                ApprovedName = DevelopmentSeed.DemoOrganisationName,
                RegistrationNumber = "12345678",
                Country = "GB",
                Website = "https://demo-wallet.example",
                ContactName = "Demo Wallet Developer",
                ContactEmail = DevelopmentSeed.PartnerEmail,
                Description = "The platform's demo wallet: aggregates a customer's accounts and pays from them.",
                RequestedRoles = OrganisationRoles.AccountInformation | OrganisationRoles.PaymentInitiation | OrganisationRoles.FundsConfirmation,
                Status = OrganisationStatus.Approved,
                CreatedAt = now,
                StatusUpdatedAt = now,
            };
            context.Organisations.Add(organisation);
            context.AuditEntries.Add(Seeded(now, nameof(Organisation), id.ToString(), id, organisation));
        }

        if (!await context.Memberships.AnyAsync(m => m.OrganisationId == id && m.Email == DevelopmentSeed.PartnerEmail, cancellationToken))
        {
            var membership = new Membership
            {
                Id = Guid.NewGuid(),
                OrganisationId = id,
                Email = DevelopmentSeed.PartnerEmail,
                DisplayName = "Demo Wallet Developer",
                Role = TeamRole.Owner,
                CreatedAt = now,
                AcceptedAt = now,
            };
            context.Memberships.Add(membership);
            context.AuditEntries.Add(Seeded(now, nameof(Membership), membership.Id.ToString(), id, membership));
        }

        if (!await context.Apps.AnyAsync(a => a.ClientId == DevelopmentSeed.DemoAppClientId, cancellationToken))
        {
            var app = new PartnerApp
            {
                ClientId = DevelopmentSeed.DemoAppClientId,
                OrganisationId = id,
                Name = "Demo Wallet",
                Description = "The seeded demo app of README.md.",
                AuthMethod = "client_secret_basic",
                CreatedBy = "system",
                CreatedAt = now,
                PaymentAccess = PaymentAccess.Granted,
                PaymentAccessDecidedAt = now,
            };
            context.Apps.Add(app);
            context.AuditEntries.Add(Seeded(now, nameof(PartnerApp), app.ClientId, id, app));
        }

        await context.SaveChangesAsync(cancellationToken);
    }

    private static AuditEntry Seeded<T>(DateTimeOffset now, string type, string entityId, Guid organisationId, T entity) => new()
    {
        Timestamp = now,
        Actor = "system",
        ActorRole = "System",
        Action = type.ToLowerInvariant() + ".seeded",
        EntityType = type,
        EntityId = entityId,
        OrganisationId = organisationId,
        After = JsonSerializer.Serialize(entity),
    };
}
