using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Accounts.V3_1;

/// <summary>
/// The account-information resources of v3.1.11, per account and in bulk. The reads are the version-neutral
/// <see cref="AisEndpoints"/>; this edge writes the shapes that are v3.1.11's own (accounts, direct debits,
/// standing orders).
/// </summary>
public static class AisApi
{
    public const string BasePath = ObieApi.BasePath + "/aisp";

    public static RouteGroupBuilder MapAisApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Account Information")
            .RequireAuthorization(PlatformScopes.Accounts)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures();

        group.MapGet("/accounts", GetAccounts).WithName("GetAccounts");
        group.MapGet("/accounts/{accountId}", GetAccounts).WithName("GetAccountsAccountId");
        group.MapGet("/accounts/{accountId}/direct-debits", GetDirectDebits).WithName("GetAccountsAccountIdDirectDebits");
        group.MapGet("/direct-debits", GetDirectDebits).WithName("GetDirectDebits");
        group.MapGet("/accounts/{accountId}/standing-orders", GetStandingOrders).WithName("GetAccountsAccountIdStandingOrders");
        group.MapGet("/standing-orders", GetStandingOrders).WithName("GetStandingOrders");
        return group.MapSharedReads(suffix: string.Empty);
    }

    public static async Task<AisOk<AccountData>> GetAccounts(string? accountId, [AsParameters] AisRequest request)
    {
        var (access, detail, accounts) = await AisEndpoints.ReadAccountsAsync(accountId, request);
        return request.Ok(new AccountData(accounts.ConvertAll(a => AisMapping.ToAccount(a, detail, access))));
    }

    public static async Task<AisOk<DirectDebitData>> GetDirectDebits(string? accountId, [AsParameters] AisRequest request)
    {
        var items = await AisEndpoints.ReadDirectDebitsAsync(accountId, request);
        return request.Ok(new DirectDebitData(items.ConvertAll(AisMapping.ToDirectDebit)));
    }

    public static async Task<AisOk<StandingOrderData>> GetStandingOrders(string? accountId, [AsParameters] AisRequest request)
    {
        var (detail, items) = await AisEndpoints.ReadStandingOrdersAsync(accountId, request);
        return request.Ok(new StandingOrderData(items.ConvertAll(s => AisMapping.ToStandingOrder(s, detail))));
    }
}
