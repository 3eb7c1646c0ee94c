using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.ServiceDefaults.Privacy;

namespace OpenBanking.Sandbox.Customers.Custom;

/// <summary>
/// Partners' own test customers: made from a request (checked, built, written with their ledger postings and their
/// definition in one transaction), listed, and deleted with their accounts, consents and history. A tenant reset
/// makes them again from their definitions (<see cref="ReplayAsync"/>).
/// </summary>
public sealed partial class CustomCustomers(SandboxDbContext db, TenantService tenants, TenantClocks clocks, TotpSecrets secrets, TimeProvider realTime, ILogger<CustomCustomers> logger)
{
    /// <summary>How the definitions are kept: the request's own names.</summary>
    internal static readonly JsonSerializerOptions DefinitionJson = new() { PropertyNameCaseInsensitive = true };

    public abstract record CreateResult;

    public sealed record Created(CreatedCustomer Customer) : CreateResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : CreateResult;

    public async Task<CreateResult> CreateAsync(string organisationId, CustomCustomerRequest request, string? clientId, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var now = Timestamps.WholeSeconds(clocks.Now(tenant.Id));
        var (plan, errors) = CustomCustomerValidator.Validate(request, now);

        var username = request.Username?.Trim();
        if (!string.IsNullOrEmpty(username) && !errors.ContainsKey("Username")
            && await db.Customers.AsNoTracking().Where(c => c.TenantId == tenant.Id && c.Username == username).Select(c => c.Persona).FirstOrDefaultAsync(ct) is { } persona)
        {
            errors["Username"] = [Taken(username, persona)];
        }

        if (errors.Count > 0 || plan is null)
        {
            return new Invalid(errors);
        }

        var built = CustomCustomerBuilder.Build(tenant, plan, now);
        if (built.Errors.Count > 0)
        {
            return new Invalid(built.Errors);
        }

        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await BankWriter.WriteAsync(db, built.Bank, ct, postHistory: true);
                db.CustomCustomerDefinitions.Add(new CustomCustomerDefinition
                {
                    TenantId = tenant.Id,
                    Username = plan.Username,
                    CustomerId = built.Customer.Id,
                    Definition = StoredDefinition(request, built.Customer),
                    AsOf = now.UtcDateTime,
                    CreatedByClientId = clientId,
                    CreatedAt = realTime.GetUtcNow().UtcDateTime,
                });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            });
        }
        catch (DbUpdateException)
        {
            // Another request took the username first (the unique index on tenant and username).
            return new Invalid(new Dictionary<string, string[]> { ["Username"] = [Taken(plan.Username, CustomCustomerBuilder.Persona)] });
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        LogCreated(logger, organisationId, built.Customer.Id, built.Bank.Accounts.Count, built.Bank.Transactions.Count);
        return new Created(View(tenant.OrganisationId, built.Customer, plan.Password ?? BankGenerator.DefaultPassword, built.Bank.Accounts));
    }

    /// <summary>Every customer of the tenant (personas, custom, generated), with sign-in details and accounts.</summary>
    public async Task<IReadOnlyList<CreatedCustomer>> ListAsync(string organisationId, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var customers = await db.Customers.AsNoTracking().Where(c => c.TenantId == tenant.Id).ToListAsync(ct);
        var accounts = (await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenant.Id).ToListAsync(ct)).ToLookup(a => a.CustomerId);
        var passwords = await PasswordsAsync(db, tenant.Id, ct);
        return [.. customers.OrderBy(c => Rank(c.Persona)).ThenBy(c => c.Username, StringComparer.Ordinal)
            .Select(c => View(tenant.OrganisationId, c, passwords.GetValueOrDefault(c.Username, BankGenerator.DefaultPassword), accounts[c.Id]))];
    }

    public async Task<CreatedCustomer?> GetAsync(string organisationId, string customerId, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.TenantId == tenant.Id && c.Id == customerId, ct);
        if (customer is null)
        {
            return null;
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenant.Id && a.CustomerId == customerId).ToListAsync(ct);
        var passwords = await PasswordsAsync(db, tenant.Id, ct);
        return View(tenant.OrganisationId, customer, passwords.GetValueOrDefault(customer.Username, BankGenerator.DefaultPassword), accounts);
    }

    public enum DeleteResult
    {
        Deleted,
        NotFound,
        Persona,
    }

    /// <summary>
    /// Removes a custom customer: its accounts with their transactions, statements, payees and ledger postings, its
    /// account-access and funds-confirmation consents with their histories, and its definition (a reset no longer
    /// makes it). Payments already made stay as the tenant's history. Personas and generated customers are refused.
    /// </summary>
    public async Task<DeleteResult> DeleteAsync(string organisationId, string customerId, CancellationToken ct)
    {
        var tenant = await tenants.FindAsync(organisationId, ct);
        var customer = tenant is null ? null
            : await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.TenantId == tenant.Id && c.Id == customerId, ct);
        if (tenant is null || customer is null)
        {
            return DeleteResult.NotFound;
        }

        if (customer.Persona != CustomCustomerBuilder.Persona)
        {
            return DeleteResult.Persona;
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var accountIds = await db.Accounts.Where(a => a.TenantId == tenant.Id && a.CustomerId == customerId).Select(a => a.Id).ToListAsync(ct);
            // Whole postings go (each balances), so every currency still sums to zero and no other account changes.
            var postings = await db.LedgerEntries.Where(e => e.TenantId == tenant.Id && accountIds.Contains(e.LedgerAccount)).Select(e => e.PostingId).Distinct().ToListAsync(ct);
            foreach (var chunk in postings.Chunk(500))
            {
                await db.LedgerEntries.Where(e => e.TenantId == tenant.Id && chunk.Contains(e.PostingId)).ExecuteDeleteAsync(ct);
            }

            await db.Transactions.Where(t => t.TenantId == tenant.Id && accountIds.Contains(t.AccountId)).ExecuteDeleteAsync(ct);
            await db.Statements.Where(x => x.TenantId == tenant.Id && accountIds.Contains(x.AccountId)).ExecuteDeleteAsync(ct);
            await db.StandingOrders.Where(x => x.TenantId == tenant.Id && accountIds.Contains(x.AccountId)).ExecuteDeleteAsync(ct);
            await db.DirectDebits.Where(x => x.TenantId == tenant.Id && accountIds.Contains(x.AccountId)).ExecuteDeleteAsync(ct);
            await db.Beneficiaries.Where(x => x.TenantId == tenant.Id && accountIds.Contains(x.AccountId)).ExecuteDeleteAsync(ct);
            await db.ScheduledPayments.Where(x => x.TenantId == tenant.Id && accountIds.Contains(x.AccountId)).ExecuteDeleteAsync(ct);
            await db.Offers.Where(x => x.TenantId == tenant.Id && accountIds.Contains(x.AccountId)).ExecuteDeleteAsync(ct);
            var consents = db.AccountAccessConsents.Where(c => c.TenantId == tenant.Id && c.CustomerId == customerId).Select(c => c.Id)
                .Concat(db.FundsConfirmationConsents.Where(c => c.TenantId == tenant.Id && c.CustomerId == customerId).Select(c => c.Id));
            await db.ConsentStatusChanges.Where(x => x.TenantId == tenant.Id && consents.Contains(x.ConsentId)).ExecuteDeleteAsync(ct);
            await db.AccountAccessConsents.Where(c => c.TenantId == tenant.Id && c.CustomerId == customerId).ExecuteDeleteAsync(ct);
            await db.FundsConfirmations.Where(f => db.FundsConfirmationConsents.Any(c => c.Id == f.ConsentId && c.TenantId == tenant.Id && c.CustomerId == customerId)).ExecuteDeleteAsync(ct);
            await db.FundsConfirmationConsents.Where(c => c.TenantId == tenant.Id && c.CustomerId == customerId).ExecuteDeleteAsync(ct);
            await db.Accounts.Where(a => a.TenantId == tenant.Id && a.CustomerId == customerId).ExecuteDeleteAsync(ct);
            await db.Customers.Where(c => c.TenantId == tenant.Id && c.Id == customerId).ExecuteDeleteAsync(ct);
            await db.CustomCustomerDefinitions.Where(d => d.TenantId == tenant.Id && d.Username == customer.Username).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        });
        return DeleteResult.Deleted;
    }

    /// <summary>
    /// Makes every custom customer of the tenant again from its definition, as of the moment it was first made (inside
    /// the reset's transaction, after the generated bank is written). A definition that no longer builds is skipped and logged.
    /// </summary>
    internal static async Task ReplayAsync(SandboxDbContext db, Tenant tenant, ILogger logger, CancellationToken ct)
    {
        var definitions = await db.CustomCustomerDefinitions.AsNoTracking().Where(d => d.TenantId == tenant.Id).OrderBy(d => d.Id).ToListAsync(ct);
        foreach (var definition in definitions)
        {
            var request = JsonSerializer.Deserialize<CustomCustomerRequest>(definition.Definition, DefinitionJson);
            var storedHash = JsonNode.Parse(definition.Definition)?[PasswordHashMember]?.GetValue<string>();
            var asOf = new DateTimeOffset(DateTime.SpecifyKind(definition.AsOf, DateTimeKind.Utc));
            var (plan, errors) = request is null ? (null, []) : CustomCustomerValidator.Validate(request, asOf);
            var built = plan is null ? null : CustomCustomerBuilder.Build(tenant, plan, asOf);
            if (built is null || errors.Count > 0 || built.Errors.Count > 0)
            {
                LogReplayFailed(logger, tenant.OrganisationId, definition.Username);
                continue;
            }

            if (storedHash is not null)
            {
                built.Customer.PasswordHash = storedHash;
            }

            await BankWriter.WriteAsync(db, built.Bank, ct, postHistory: true);
        }
    }

    /// <summary>What a definition's sign-in list shows for a password the partner chose: it is kept only as a hash.</summary>
    public const string ChosenPassword = "(the one chosen when it was created)";

    private const string PasswordHashMember = "PasswordHash";

    /// <summary>
    /// The request as a reset will replay it, except a chosen password: only its hash is kept (secrets are never stored
    /// readable), and the replay puts that hash back on the customer.
    /// </summary>
    private static string StoredDefinition(CustomCustomerRequest request, Customer customer)
    {
        var node = JsonSerializer.SerializeToNode(request with { Password = null }, DefinitionJson)!.AsObject();
        if (request.Password is not null)
        {
            node[PasswordHashMember] = customer.PasswordHash;
        }

        return node.ToJsonString();
    }

    /// <summary>What the sign-in lists show as each custom customer's password: the default, or that one was chosen.</summary>
    internal static async Task<Dictionary<string, string>> PasswordsAsync(SandboxDbContext db, Guid tenantId, CancellationToken ct)
    {
        var definitions = await db.CustomCustomerDefinitions.AsNoTracking().Where(d => d.TenantId == tenantId).Select(d => new { d.Username, d.Definition }).ToListAsync(ct);
        return definitions.ToDictionary(d => d.Username,
            d => JsonNode.Parse(d.Definition)?[PasswordHashMember] is null ? BankGenerator.DefaultPassword : ChosenPassword, StringComparer.Ordinal);
    }

    private CreatedCustomer View(string organisationId, Customer customer, string password, IEnumerable<Account> accounts)
    {
        var secret = secrets.For(organisationId, customer.Username);
        return new CreatedCustomer(customer.Id, customer.Username, customer.Name, password, secret,
            $"otpauth://totp/Sandbox%20Bank:{customer.Username}?secret={secret}&issuer=Sandbox%20Bank",
            [.. accounts.OrderBy(a => a.OpeningDate).ThenBy(a => a.Id, StringComparer.Ordinal).Select(a => new CreatedAccount(a.Id, a.Currency, a.SchemeName, a.Identification,
                (a.BookedBalanceMinor < 0 ? "-" : string.Empty) + Money.Format(a.BookedBalanceMinor, a.Currency), a.TransactionCount))]);
    }

    /// <summary>The personas first, then partners' own customers, then the generated ones.</summary>
    internal static int Rank(string persona) => persona switch
    {
        Internal.InternalCustomersApi.GeneratedPersona => 2,
        CustomCustomerBuilder.Persona => 1,
        _ => 0,
    };

    private static string Taken(string username, string persona) => persona == CustomCustomerBuilder.Persona
        ? $"A test customer called \"{username}\" already exists in this sandbox; choose another username (or delete that customer first)."
        : $"\"{username}\" is a built-in test customer's username; choose another.";

    [LoggerMessage(Level = LogLevel.Information, Message = "Created custom test customer {CustomerId} of organisation {OrganisationId}: {Accounts} accounts, {Transactions} transactions")]
    private static partial void LogCreated(ILogger logger, string organisationId, string customerId, int accounts, int transactions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The custom test customer {Username} of organisation {OrganisationId} could not be made again after a reset")]
    private static partial void LogReplayFailed(ILogger logger, string organisationId, [PersonalData] string username);
}
