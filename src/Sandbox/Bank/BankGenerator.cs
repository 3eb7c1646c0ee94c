using Bogus;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// Generates a tenant's bank from its seed and creation date alone, so the same tenant always gets identical data
/// (and a reset restores it). Five documented personas plus generated customers (<see cref="Personas"/>); salary,
/// rent, bills and subscriptions recur as the standing orders and direct debits say (<see cref="EventSchedule"/>);
/// every account's balance is its opening balance plus its booked transactions, and no account is ever below its
/// arranged limit (<see cref="Booking"/>).
/// </summary>
/// <remarks>
/// Every value comes from one <see cref="Faker"/> seeded by the tenant, drawn in a fixed order: reordering draws (or
/// adding one) changes every tenant's data after it. <c>BankGeneratorSnapshotTests</c> pins the output.
/// </remarks>
public sealed class BankGenerator(GeneratorOptions options)
{
    public const string DefaultPassword = "sandbox";

    public GeneratedBank Generate(Tenant tenant)
    {
        var context = new GenerationContext(tenant, tenant.CreatedAt.UtcDateTime.Date, new Faker("en_GB") { Random = new Randomizer(tenant.Seed) });

        Personas.AddAlice(context);
        Personas.AddBob(context);
        Personas.AddCarol(context);
        Personas.AddDave(context);
        Personas.AddErin(context);
        for (var i = 0; i < options.GeneratedCustomers; i++)
        {
            Personas.AddGeneratedCustomer(context, i, options);
        }

        return context.Bank;
    }
}
