using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Accounts.V4_0;

/// <summary>
/// The account-information resources of v4.0: the same reads, permissions, paging and filters as v3.1.11 (the
/// version-neutral <see cref="AisEndpoints"/>, in v4.0's codes), and the shapes v4.0 changed (accounts, direct
/// debits, standing orders).
/// A consent created through v3.1.11 is used here as it is; one created here is refused by v3.1.11.
/// </summary>
public static class AisApi
{
    public const string BasePath = ObieApi.V4BasePath + "/aisp";

    public static RouteGroupBuilder MapAisApiV4(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Account Information v4.0")
            .RequireAuthorization(PlatformScopes.Accounts)
            .WithObieContentNegotiation()
            .RefuseMessageSignatures();

        group.MapGet("/accounts", GetAccounts).WithName("GetAccountsV4");
        group.MapGet("/accounts/{accountId}", GetAccounts).WithName("GetAccountsAccountIdV4");
        group.MapGet("/accounts/{accountId}/direct-debits", GetDirectDebits).WithName("GetAccountsAccountIdDirectDebitsV4");
        group.MapGet("/direct-debits", GetDirectDebits).WithName("GetDirectDebitsV4");
        group.MapGet("/accounts/{accountId}/standing-orders", GetStandingOrders).WithName("GetAccountsAccountIdStandingOrdersV4");
        group.MapGet("/standing-orders", GetStandingOrders).WithName("GetStandingOrdersV4");
        return group.MapSharedReads(suffix: "V4");
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
