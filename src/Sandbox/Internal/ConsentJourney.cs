using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Funds;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payee;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.StandingOrders;
using static OpenBanking.Sandbox.Internal.InternalConsentsApi;

namespace OpenBanking.Sandbox.Internal;

/// <summary>
/// What the consent journey does differently per kind: where the consent is stored, which of the customer's accounts
/// it may link, and what the page shows. One instance per <see cref="ConsentKind"/>; an id finds its kind by
/// <see cref="ConsentKinds.FromId"/>, never by prefix checks here.
/// </summary>
internal abstract class ConsentJourney
{
    public static readonly AccountAccessJourney AccountAccess = new();

    public static readonly Payments.International.InternationalPaymentJourney International = new();

    private static readonly Dictionary<ConsentKind, ConsentJourney> ByKind = new ConsentJourney[]
    {
        AccountAccess, new DomesticPaymentJourney(), new FundsConfirmationJourney(),
        new Payments.Scheduled.ScheduledPaymentJourney(),
        new Payments.Vrp.DomesticVrpJourney(),
        new DomesticStandingOrderJourney(),
        International,
    }.ToDictionary(j => j.Definition.Kind);

    public abstract ConsentKindDefinition Definition { get; }

    /// <summary>The journey of the kind an id belongs to; null for an id no kind issues.</summary>
    public static ConsentJourney? For(string consentId)
        => ConsentKinds.FromId(consentId) is { } definition ? ByKind[definition.Kind] : null;

    /// <summary>The consent, unless it does not exist or its app deleted it.</summary>
    public abstract Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct);

    /// <summary>What is wrong with the customer's answer before the consent is looked at (field → messages).</summary>
    public abstract Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds);

    /// <summary>Links the chosen accounts if the customer may give them; otherwise what is wrong (field → messages).</summary>
    public abstract Task<Dictionary<string, string[]>> LinkAccountsAsync(SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct);

    public abstract Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct);

    /// <summary>
    /// The same with the request's services, for kinds whose answer needs more than the database (an international
    /// payment is priced by the FX desk and the charges tariff); the others ignore them.
    /// </summary>
    public virtual Task<Dictionary<string, string[]>> LinkAccountsAsync(
        IServiceProvider services, SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
        => LinkAccountsAsync(db, consent, customerId, accountIds, ct);

    public virtual Task<ConsentSummary> SummaryAsync(IServiceProvider services, SandboxDbContext db, IConsent consent, CancellationToken ct)
        => SummaryAsync(db, consent, ct);

    /// <summary>
    /// What the customer's revocation does beyond the consent's status (tracked, saved with it), after the lifecycle
    /// allowed it; a refusal in plain words, or null. Most kinds have nothing more to do.
    /// </summary>
    public virtual Task<string?> RevokeAsync(SandboxDbContext db, IConsent consent, CancellationToken ct) => Task.FromResult<string?>(null);

    protected static Dictionary<string, string[]> Problems(params (string Field, string? Message)[] checks)
        => checks.Where(c => c.Message is not null).ToDictionary(c => c.Field, c => new[] { c.Message! });

    /// <summary>Payment and funds-confirmation consents are given from exactly one account.</summary>
    protected static Dictionary<string, string[]> CheckOneAccount(string? customerId, string[] accountIds) => Problems(
        ("customerId", string.IsNullOrWhiteSpace(customerId) ? "The customer is required." : null),
        ("accountIds", accountIds.Length != 1 ? "Choose the one account to pay from." : null));

    protected static Task<string> OrganisationAsync(SandboxDbContext db, Guid tenantId, CancellationToken ct)
        => db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.OrganisationId).SingleAsync(ct);

    protected static async Task<List<Account>> EligibleAccountsAsync(
        SandboxDbContext db, Guid tenantId, string? currency, string? schemeName, string? identification, CancellationToken ct)
        => await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == tenantId && (currency == null || a.Currency == currency)
                && (identification == null || (a.Identification == identification && a.SchemeName == schemeName)))
            .ToListAsync(ct);

    protected static IQueryable<T> Query<T>(DbSet<T> set, bool tracking) where T : class => tracking ? set : set.AsNoTracking();

    /// <summary>
    /// The summary with Confirmation of Payee's answer for a payment's creditor while the customer still has to
    /// decide (the consent page shows it before they approve); a sort-code creditor only.
    /// </summary>
    protected static async Task<ConsentSummary> WithPayeeCheckAsync(
        IServiceProvider services, SandboxDbContext db, ConsentSummary summary, Guid tenantId, PaymentConsentStatus status,
        string schemeName, string identification, string name, string initiationJson, string riskJson, CancellationToken ct)
    {
        if (status != PaymentConsentStatus.AwaitingAuthorisation || summary.Payment is null
            || PayeeQuery.ForConsent(schemeName, identification, name, initiationJson, riskJson) is not { } query)
        {
            return summary;
        }

        var check = await services.GetRequiredService<PayeeChecks>().CheckAsync(db, tenantId, query, ct);
        return summary with { Payment = summary.Payment with { PayeeCheck = check } };
    }
}

/// <summary>Account access: the customer links any of their own accounts.</summary>
internal sealed class AccountAccessJourney : ConsentJourney
{
    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.AccountAccess);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.AccountAccessConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => Problems(
        ("customerId", string.IsNullOrWhiteSpace(customerId) ? "The customer is required." : null),
        ("accountIds", accountIds.Length == 0 ? "Choose at least one account." : null));

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var owned = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == consent.TenantId && a.CustomerId == customerId && accountIds.Contains(a.Id))
            .Select(a => a.Id).ToListAsync(ct);
        var foreign = accountIds.Except(owned).ToArray();
        if (foreign.Length > 0)
        {
            return Problems(("accountIds", $"Not the customer's account(s): {string.Join(", ", foreign)}."));
        }

        ((AccountAccessConsent)consent).AccountIds = [.. accountIds];
        return [];
    }

    public override async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
        => Summary((AccountAccessConsent)consent, await OrganisationAsync(db, consent.TenantId, ct));

    public ConsentSummary Summary(AccountAccessConsent c, string organisationId) => new(
        c.Id, "account-access", c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name(c.Status), c.Permissions, c.ExpirationDateTime,
        c.TransactionFromDateTime, c.TransactionToDateTime, c.CreationDateTime, c.CustomerId, c.AccountIds, c.AccessRevokedAt,
        LastUsedAt: c.LastUsedAt);
}

/// <summary>A domestic payment: paid from exactly one of the customer's accounts of its currency (the one the app named, if it named one).</summary>
internal sealed class DomesticPaymentJourney : ConsentJourney
{
    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.DomesticPayment);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.DomesticPaymentConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => CheckOneAccount(customerId, accountIds);

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var c = (DomesticPaymentConsent)consent;
        var account = (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == accountIds[0] && a.CustomerId == customerId);
        if (account is null)
        {
            return Problems(("accountIds", $"Pay from one of your own {c.Currency} accounts{(c.DebtorIdentification is null ? string.Empty : " — the one the app named")}."));
        }

        c.DebtorAccountId = account.Id;
        return [];
    }

    public override async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (DomesticPaymentConsent)consent;
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.DebtorAccountId is { } chosen ? [chosen]
            : c.DebtorIdentification is null ? []
            : (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return Summary(c, organisationId, accountIds);
    }

    /// <summary>The summary with Confirmation of Payee's answer for the creditor (before the customer approves).</summary>
    public override async Task<ConsentSummary> SummaryAsync(IServiceProvider services, SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (DomesticPaymentConsent)consent;
        return await WithPayeeCheckAsync(services, db, await SummaryAsync(db, consent, ct), c.TenantId, c.Status,
            c.CreditorSchemeName, c.CreditorIdentification, c.CreditorName, c.InitiationJson, c.RiskJson, ct);
    }

    /// <summary>An authorised consent's summary (its account is the one chosen).</summary>
    public static ConsentSummary Summary(DomesticPaymentConsent c, string organisationId, IReadOnlyList<string>? accountIds = null) => new(
        c.Id, "domestic-payment", c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name((ConsentStatus)c.Status), [], null, null, null,
        c.CreationDateTime, c.CustomerId, accountIds ?? (c.DebtorAccountId is { } chosen ? [chosen] : []), null, c.Currency,
        new PaymentSummary(Money.Format(c.AmountMinor), c.Currency, c.CreditorName, c.CreditorSchemeName, c.CreditorIdentification, c.Reference,
            c.DebtorIdentification is not null),
        c.LastUsedAt);
}

/// <summary>Funds confirmation: authorised from the one account the card issuer named, if it is the customer's.</summary>
internal sealed class FundsConfirmationJourney : ConsentJourney
{
    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.FundsConfirmation);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.FundsConfirmationConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => CheckOneAccount(customerId, accountIds);

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var c = (FundsConfirmationConsent)consent;
        var named = (await EligibleAccountsAsync(db, c.TenantId, null, c.DebtorSchemeName, c.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == accountIds[0] && a.CustomerId == customerId);
        if (named is null)
        {
            return Problems(("accountIds", "The consent names an account that is not yours."));
        }

        c.AccountId = named.Id;
        return [];
    }

    public override async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (FundsConfirmationConsent)consent;
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var accountIds = c.AccountId is { } chosen ? [chosen]
            : (await EligibleAccountsAsync(db, c.TenantId, null, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return Summary(c, organisationId, accountIds);
    }

    /// <summary>An authorised consent's summary (its account is the one chosen).</summary>
    public static ConsentSummary Summary(FundsConfirmationConsent c, string organisationId, IReadOnlyList<string>? accountIds = null) => new(
        c.Id, "funds-confirmation", c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name(c.Status), [], c.ExpirationDateTime, null, null,
        c.CreationDateTime, c.CustomerId, accountIds ?? (c.AccountId is { } chosen ? [chosen] : []), null, LastUsedAt: c.LastUsedAt);
}

/// <summary>
/// A standing order (issue 16): paid from exactly one of the customer's accounts of its currency (the one the app named,
/// if it named one), like a domestic payment; the summary says the schedule in plain words. The customer cancels it
/// from the dashboard: the order is Cancelled and makes no further payments (the consent stays Consumed; one not yet
/// used becomes Rejected).
/// </summary>
internal sealed class DomesticStandingOrderJourney : ConsentJourney
{
    public override ConsentKindDefinition Definition { get; } = ConsentKinds.Get(ConsentKind.DomesticStandingOrder);

    public override async Task<IConsent?> FindAsync(SandboxDbContext db, string consentId, bool tracking, CancellationToken ct)
        => await Query(db.DomesticStandingOrderConsents, tracking).SingleOrDefaultAsync(c => c.Id == consentId, ct);

    public override Dictionary<string, string[]> CheckChoice(string? customerId, string[] accountIds) => CheckOneAccount(customerId, accountIds);

    public override async Task<Dictionary<string, string[]>> LinkAccountsAsync(
        SandboxDbContext db, IConsent consent, string customerId, string[] accountIds, CancellationToken ct)
    {
        var c = (DomesticStandingOrderConsent)consent;
        var account = (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct))
            .SingleOrDefault(a => a.Id == accountIds[0] && a.CustomerId == customerId);
        if (account is null)
        {
            return Problems(("accountIds", $"Pay from one of your own {c.Currency} accounts{(c.DebtorIdentification is null ? string.Empty : " — the one the app named")}."));
        }

        c.DebtorAccountId = account.Id;
        return [];
    }

    public override async Task<ConsentSummary> SummaryAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (DomesticStandingOrderConsent)consent;
        var organisationId = await OrganisationAsync(db, c.TenantId, ct);
        var order = await db.DomesticStandingOrders.AsNoTracking().SingleOrDefaultAsync(o => o.ConsentId == c.Id, ct);
        var accountIds = c.DebtorAccountId is { } chosen ? [chosen]
            : c.DebtorIdentification is null ? []
            : (await EligibleAccountsAsync(db, c.TenantId, c.Currency, c.DebtorSchemeName, c.DebtorIdentification, ct)).Select(a => a.Id).ToList();
        return Summary(c, organisationId, order, accountIds);
    }

    /// <summary>The summary with Confirmation of Payee's answer for the creditor (before the customer approves).</summary>
    public override async Task<ConsentSummary> SummaryAsync(IServiceProvider services, SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        var c = (DomesticStandingOrderConsent)consent;
        return await WithPayeeCheckAsync(services, db, await SummaryAsync(db, consent, ct), c.TenantId, c.Status,
            c.CreditorSchemeName, c.CreditorIdentification, c.CreditorName, c.InitiationJson, c.RiskJson, ct);
    }

    public override async Task<string?> RevokeAsync(SandboxDbContext db, IConsent consent, CancellationToken ct)
    {
        if (consent.Status != ConsentStatus.Consumed)
        {
            return null;
        }

        var order = await db.DomesticStandingOrders.SingleOrDefaultAsync(o => o.ConsentId == consent.Id, ct);
        if (order is null || order.Status == StandingOrderStatus.Cancelled || order.NextDueAt is null)
        {
            return "The standing order has already ended.";
        }

        // The save stamps the status time and records the change; the clock finds nothing more due for it.
        order.Status = StandingOrderStatus.Cancelled;
        order.SetNext(null);
        return null;
    }

    public static ConsentSummary Summary(DomesticStandingOrderConsent c, string organisationId, DomesticStandingOrder? order, IReadOnlyList<string>? accountIds = null) => new(
        c.Id, "DomesticStandingOrder", c.ApiVersion.Name(), c.ClientId, organisationId, ConsentStatusWire.Name((ConsentStatus)c.Status), [], null, null, null,
        c.CreationDateTime, c.CustomerId, accountIds ?? (c.DebtorAccountId is { } chosen ? [chosen] : []), null, c.Currency,
        new PaymentSummary(Money.Format(c.RecurringAmountMinor ?? c.FirstAmountMinor), c.Currency, c.CreditorName, c.CreditorSchemeName,
            c.CreditorIdentification, c.Reference, c.DebtorIdentification is not null),
        c.LastUsedAt, StandingOrderWords.Terms(c, order));
}
