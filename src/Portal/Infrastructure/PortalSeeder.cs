using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Infrastructure;

/// <summary>Development seed: the approved demo organisation of README.md, with its audit trail.</summary>
internal sealed class PortalSeeder(TimeProvider clock) : IDatabaseSeeder<PortalDbContext>
{
    public async Task SeedAsync(PortalDbContext context, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(DevelopmentSeed.DemoOrganisationId);
        if (await context.Organisations.AnyAsync(o => o.Id == id, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var organisation = new Organisation
        {
            Id = id,
            LegalName = DevelopmentSeed.DemoOrganisationName,
            RegistrationNumber = "12345678",
            Country = "GB",
            Website = "https://demo-wallet.example",
            ContactEmail = DevelopmentSeed.PartnerEmail,
            Status = OrganisationStatus.Approved,
            CreatedAt = now,
            StatusUpdatedAt = now,
        };
        context.Organisations.Add(organisation);
        context.AuditEntries.Add(new AuditEntry
        {
            Timestamp = now,
            Actor = "system",
            Action = "organisation.seeded",
            EntityType = nameof(Organisation),
            EntityId = id.ToString(),
            After = JsonSerializer.Serialize(organisation),
        });
        await context.SaveChangesAsync(cancellationToken);
    }
}
