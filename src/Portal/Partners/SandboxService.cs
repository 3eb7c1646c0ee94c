using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>Creating a partner's own test customer (the "Add test customer" dialog's one dependency).</summary>
public interface ISandboxCustomers
{
    /// <exception cref="PortalValidationException">The Sandbox refused it: every field error, keyed as the Sandbox names them.</exception>
    Task<CreatedCustomer> CreateCustomerAsync(NewCustomer customer, CancellationToken ct = default);
}

/// <summary>
/// The organisation's view of the platform's services: its apps' calls at the gateway and its sandbox tenant (test
/// customers, test clock, reset). The organisation id sent to those services is always the signed-in member's own.
/// </summary>
public sealed class SandboxService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, GatewayCallsClient calls, SandboxTenantsClient sandbox, TimeProvider clock)
    : ISandboxClock, ISandboxCustomers
{
    public async Task<CallPage> CallsAsync(string? clientId, CallFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        var organisation = await OrganisationAsync(clientId, ct);
        return await calls.ListAsync(filter with { OrganisationId = organisation.Id, ClientId = clientId }, page, pageSize, ct);
    }

    /// <summary>One of the app's calls in full; null when it is not the app's or no longer kept.</summary>
    public async Task<CallDetail?> CallAsync(string clientId, long id, CancellationToken ct = default)
    {
        var organisation = await OrganisationAsync(clientId, ct);
        return await calls.GetAsync(organisation.Id, clientId, id, ct);
    }

    /// <summary>The app's most frequent spec-lint problems over the last <paramref name="days"/> days.</summary>
    public async Task<IReadOnlyList<ProblemSummary>> ProblemsAsync(string clientId, int days, CancellationToken ct = default)
    {
        var organisation = await OrganisationAsync(clientId, ct);
        return await calls.ProblemsAsync(organisation.Id, clientId, days, ct);
    }

    public async Task<CallStatistics> StatisticsAsync(string? clientId, DateTimeOffset from, string bucket, CancellationToken ct = default)
    {
        var organisation = await OrganisationAsync(clientId, ct);
        return await calls.StatisticsAsync(new CallFilter(organisation.Id, clientId, from), bucket, ct);
    }

    public async Task<IReadOnlyList<TestCustomer>> CustomersAsync(CancellationToken ct = default)
        => await sandbox.ListCustomersAsync((await OrganisationAsync(null, ct)).Id, ct);

    /// <summary>
    /// Creates a partner's own test customer. The Sandbox validates every field; its field errors come back as a
    /// <see cref="PortalValidationException"/> keyed as it names them (<c>Accounts[0].Currency</c>).
    /// </summary>
    public async Task<CreatedCustomer> CreateCustomerAsync(NewCustomer customer, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "add test customers");
        var created = await CallSandboxAsync(() => sandbox.CreateCustomerAsync(context.Organisation!.Id, customer, ct));
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), AuditActions.SandboxCustomerCreated, "SandboxCustomer", created.CustomerId,
            context.Organisation!.Id, null, AuditTrail.Snapshot(new
            {
                created.Username,
                created.Name,
                Accounts = created.Accounts.Select(a => new { a.AccountId, a.Currency, a.Transactions }),
            }));
        await db.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>Deletes one of the partner's own test customers (the Sandbox refuses personas).</summary>
    public async Task DeleteCustomerAsync(TestCustomer customer, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "delete test customers");
        await CallSandboxAsync(async () =>
        {
            await sandbox.DeleteCustomerAsync(context.Organisation!.Id, customer.CustomerId, ct);
            return true;
        });
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), AuditActions.SandboxCustomerDeleted, "SandboxCustomer", customer.CustomerId,
            context.Organisation!.Id, AuditTrail.Snapshot(new { customer.Username, customer.Name }), null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The Sandbox's refusals become form errors; an unreachable Sandbox a plain sentence, never a crash.</summary>
    private static async Task<T> CallSandboxAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PlatformServiceException exception) when (exception.Errors.Count > 0)
        {
            throw new PortalValidationException(exception.Errors);
        }
        catch (PlatformServiceException exception)
        {
            throw new PortalValidationException("", exception.Message);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or TaskCanceledException { CancellationToken.IsCancellationRequested: false }
                                              or System.Text.Json.JsonException)
        {
            throw new PortalValidationException("", "The sandbox bank could not be reached or did not answer as expected; try again in a moment.");
        }
    }

    public async Task<IReadOnlyList<TenantPayment>> PaymentsAsync(int take = 100, CancellationToken ct = default)
        => await sandbox.ListPaymentsAsync((await OrganisationAsync(null, ct)).Id, take, ct);

    /// <summary>In the sandbox the partner plays the bank's reviewer of payments the risk screen held.</summary>
    public async Task<string> ReviewPaymentAsync(string paymentId, bool approve, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "review held payments");
        var status = await sandbox.ReviewPaymentAsync(context.Organisation!.Id, paymentId, approve, ct);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), approve ? "payment.released" : "payment.rejected", "Payment", paymentId,
            context.Organisation.Id, null, null);
        await db.SaveChangesAsync(ct);
        return status;
    }

    async Task<TenantClock> ISandboxClock.GetAsync(CancellationToken ct)
        => await sandbox.GetClockAsync((await OrganisationAsync(null, ct)).Id, ct);

    async Task<ClockPreview> ISandboxClock.PreviewAsync(string until, CancellationToken ct)
        => await sandbox.PreviewClockAsync((await OrganisationAsync(null, ct)).Id, until, ct);

    async Task<ClockMoved> ISandboxClock.MoveAsync(ClockMove move, CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "move the sandbox clock");
        var moved = await sandbox.MoveClockAsync(context.Organisation!.Id, move, ct);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), "sandbox.clock.moved", "SandboxTenant", context.Organisation.Id.ToString(),
            context.Organisation.Id, moved.From is { } from ? AuditTrail.Snapshot(new { Now = from }) : null, AuditTrail.Snapshot(new { moved.Now, moved.Frozen, moved.Ran }));
        await db.SaveChangesAsync(ct);
        return moved;
    }

    public async Task ResetAsync(CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "reset sandbox data");
        await sandbox.ResetAsync(context.Organisation!.Id, ct);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), "sandbox.reset", "SandboxTenant", context.Organisation.Id.ToString(),
            context.Organisation.Id, null, null);
        await db.SaveChangesAsync(ct);
    }

    private async Task<Organisation> OrganisationAsync(string? clientId, CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = (await CurrentPartner.LoadAsync(db, actor, ct)).RequireOrganisation();
        if (clientId is not null && !await db.Apps.AnyAsync(a => a.ClientId == clientId && a.OrganisationId == organisation.Id, ct))
        {
            throw new PortalNotFoundException("No such app in your organisation.");
        }

        return organisation;
    }
}
