using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>The organisation's sandbox FX desk as the Portal's FX page uses it (a fake stands in for it in component tests).</summary>
public interface ISandboxFx
{
    Task<FxRates> RatesAsync(string unit, CancellationToken ct = default);

    Task<FxHistory> HistoryAsync(string unit, int days, CancellationToken ct = default);

    Task<IReadOnlyList<FxContract>> ContractsAsync(CancellationToken ct = default);

    /// <summary>Owners and developers only; recorded in the audit log as <c>fx.contract.booked</c>.</summary>
    /// <exception cref="PlatformServiceException">The desk refused the booking; its errors name each field.</exception>
    Task<FxContract> BookAsync(FxBooking booking, CancellationToken ct = default);
}

/// <summary>
/// The FX desk of the signed-in member's organisation: the organisation id sent to the Sandbox is always the member's
/// own, and a booking is the organisation's (any of its apps may use the contract).
/// </summary>
public sealed class SandboxFxService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, SandboxFxClient fx, TimeProvider clock) : ISandboxFx
{
    /// <summary>The audit action of a booking.</summary>
    public const string BookedAction = "fx.contract.booked";

    public async Task<FxRates> RatesAsync(string unit, CancellationToken ct = default)
        => await fx.RatesAsync(await OrganisationIdAsync(ct), unit, ct);

    public async Task<FxHistory> HistoryAsync(string unit, int days, CancellationToken ct = default)
        => await fx.HistoryAsync(await OrganisationIdAsync(ct), unit, days, ct);

    public async Task<IReadOnlyList<FxContract>> ContractsAsync(CancellationToken ct = default)
        => await fx.ContractsAsync(await OrganisationIdAsync(ct), ct);

    public async Task<FxContract> BookAsync(FxBooking booking, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "book FX contracts");
        var contract = await fx.BookAsync(context.Organisation!.Id, booking, ct);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, context.Role.ToString(), BookedAction, "FxContract", contract.ContractIdentification,
            context.Organisation.Id, null, AuditTrail.Snapshot(new
            {
                contract.UnitCurrency, contract.CurrencyOfTransfer, contract.Side, contract.ExchangeRate,
                Amount = $"{contract.Amount.Amount} {contract.Amount.Currency}", contract.ExpirationDateTime,
            }));
        await db.SaveChangesAsync(ct);
        return contract;
    }

    private async Task<Guid> OrganisationIdAsync(CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await CurrentPartner.LoadAsync(db, actor, ct)).RequireOrganisation().Id;
    }
}
