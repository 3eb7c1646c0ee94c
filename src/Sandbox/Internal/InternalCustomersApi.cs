using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Customers;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// A tenant's test customers: listed for the Portal, and signed in by Identity (password, then second factor) before
/// it shows them their accounts in the consent journey.
/// </summary>
public static class InternalCustomersApi
{
    public static RouteGroupBuilder MapInternalCustomersApi(this RouteGroupBuilder group)
    {
        group.MapGet("/tenants/{organisationId}/customers", ListCustomersAsync).WithName("ListTestCustomers");
        group.MapPost("/tenants/{organisationId}/customers/authenticate", AuthenticateAsync).WithName("AuthenticateCustomer");
        group.MapPost("/tenants/{organisationId}/customers/{customerId}/second-factor", VerifySecondFactorAsync).WithName("VerifyCustomerSecondFactor");
        group.MapGet("/tenants/{organisationId}/customers/{customerId}/accounts", ListAccountsAsync).WithName("ListCustomerAccounts");
        return group;
    }

    /// <summary>The persona of the customers the generator adds beyond the five documented ones.</summary>
    public const string GeneratedPersona = "generated";

    public sealed record TestCustomer(string CustomerId, string Username, string Persona, string Name, string Password, string TotpSecret, string TotpUri);

    public static async Task<Ok<TestCustomer[]>> ListCustomersAsync(
        string organisationId, TenantService tenants, SandboxDbContext db, TotpSecrets secrets, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var customers = await db.Customers.AsNoTracking().Where(c => c.TenantId == tenant.Id).ToListAsync(ct);
        // A partner's own customer may have its own password (kept only as a hash: the list says it was chosen).
        var passwords = await Customers.Custom.CustomCustomers.PasswordsAsync(db, tenant.Id, ct);
        // The documented personas (alice … erin) first, then the partner's own (custom), then the generated customers:
        // by username alone, dave and erin would come after customer01 … customer20.
        return TypedResults.Ok(customers.OrderBy(c => Customers.Custom.CustomCustomers.Rank(c.Persona)).ThenBy(c => c.Username, StringComparer.Ordinal).Select(c => (Customer: c, Secret: secrets.For(tenant.OrganisationId, c.Username)))
            .Select(x => new TestCustomer(x.Customer.Id, x.Customer.Username, x.Customer.Persona, x.Customer.Name,
                passwords.GetValueOrDefault(x.Customer.Username, BankGenerator.DefaultPassword), x.Secret,
                $"otpauth://totp/Sandbox%20Bank:{x.Customer.Username}?secret={x.Secret}&issuer=Sandbox%20Bank")).ToArray());
    }

    public sealed record Credentials(string? Username, string? Password);

    public sealed record AuthenticatedCustomer(string CustomerId, string Name, bool SecondFactorRequired);

    public static async Task<Results<Ok<AuthenticatedCustomer>, ProblemHttpResult, ValidationProblem>> AuthenticateAsync(
        string organisationId, Credentials credentials, TenantService tenants, SandboxDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(credentials.Username) || string.IsNullOrEmpty(credentials.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = string.IsNullOrWhiteSpace(credentials.Username) ? ["Enter the username."] : [],
                ["password"] = string.IsNullOrEmpty(credentials.Password) ? ["Enter the password."] : [],
            }.Where(e => e.Value.Length > 0).ToDictionary());
        }

        // A find, never a create: signing in must not let anyone make the Sandbox generate and store a bank.
        var tenant = await tenants.FindAsync(organisationId, ct);
        var username = credentials.Username.Trim().ToLowerInvariant();
        var customer = tenant is null ? null : await db.Customers.AsNoTracking()
            .SingleOrDefaultAsync(c => c.TenantId == tenant.Id && c.Username == username, ct);

        // 404 for an unknown tenant or user, 401 for a wrong password: Identity shows both the same way, and counts
        // lockout attempts only against customers that exist (its lockout store stays bounded).
        if (customer is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such test customer.");
        }

        return PasswordHash.Verify(credentials.Password, customer.PasswordHash)
            ? TypedResults.Ok(new AuthenticatedCustomer(customer.Id, customer.Name, SecondFactorRequired: true))
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The username or password is not right.");
    }

    public sealed record SecondFactor(string? Code);

    public static async Task<Results<NoContent, ProblemHttpResult>> VerifySecondFactorAsync(
        string organisationId, string customerId, SecondFactor body, SandboxDbContext db, TimeProvider clock,
        IOptions<SandboxOptions> options, TotpSecrets secrets, CancellationToken ct)
    {
        var customer = await FindCustomerAsync(db, organisationId, customerId, ct);
        var code = body.Code?.Trim() ?? string.Empty;
        if (customer is not null && options.Value.StaticOtpEnabled && code == SandboxOptions.StaticOtp)
        {
            // The documented Development code: the same every time, so "replay" means nothing for it.
            return TypedResults.NoContent();
        }

        var step = customer is null ? null : Totp.MatchStep(secrets.For(organisationId, customer.Username), code, clock.GetUtcNow());
        if (step is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The code is not right or has expired.");
        }

        // Claims the code's time step in one conditional update: a code of a step already used (or older) is refused,
        // whichever Sandbox instance accepted it first.
        var claimed = await db.Customers
            .Where(c => c.TenantId == customer!.TenantId && c.Id == customer.Id && (c.LastTotpStep == null || c.LastTotpStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastTotpStep, step), ct);
        return claimed == 1
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The code has already been used; wait for the next one.");
    }

    public sealed record CustomerAccount(string AccountId, string Name, string Description, string? Nickname, string AccountType,
        string AccountSubType, string Currency, string SchemeName, string MaskedIdentification, string Balance);

    public static async Task<Results<Ok<CustomerAccount[]>, NotFound>> ListAccountsAsync(
        string organisationId, string customerId, SandboxDbContext db, CancellationToken ct)
    {
        var customer = await FindCustomerAsync(db, organisationId, customerId, ct);
        if (customer is null)
        {
            return TypedResults.NotFound();
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == customer.Id).OrderBy(a => a.OpeningDate).ThenBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(accounts.Select(a => new CustomerAccount(a.Id, a.Name, a.Description, a.Nickname, a.AccountType, a.AccountSubType,
            a.Currency, a.SchemeName, "••••" + a.Identification[^4..],
            (a.BookedBalanceMinor < 0 ? "-" : string.Empty) + Money.Format(a.BookedBalanceMinor) + " " + a.Currency)).ToArray());
    }

    internal static async Task<Customer?> FindCustomerAsync(SandboxDbContext db, string organisationId, string customerId, CancellationToken ct)
        => await db.Customers.AsNoTracking()
            .Join(db.Tenants, c => c.TenantId, t => t.Id, (c, t) => new { Customer = c, t.OrganisationId })
            .Where(x => x.OrganisationId == organisationId && x.Customer.Id == customerId)
            .Select(x => x.Customer)
            .SingleOrDefaultAsync(ct);
}
