using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;
using static OpenBanking.Sandbox.Accounts.AccountInformationMapping;
using P = OpenBanking.Sandbox.Consents.AccountAccessPermission;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The account-information reads of both versions, each showing only what the consent allows: its accounts, its
/// permissions (Basic or Detail, credits or debits, PAN masked unless ReadPAN) and its transaction window. The
/// resources whose shape is the same in v3.1.11 and v4.0 are answered here in the codes of the request's version
/// (<see cref="AisRequest.Codes"/>); accounts, direct debits and standing orders, whose shapes differ, are read here and written by
/// each version's AisApi.
/// </summary>
public static class AisEndpoints
{
    /// <summary>The accounts asked for, and whether the consent shows their Detail.</summary>
    public static async Task<(AisAccess Access, bool Detail, List<Account> Accounts)> ReadAccountsAsync(string? accountId, AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadAccountsBasic, P.ReadAccountsDetail);
        var ids = access.AccountIds(accountId);
        return (access, detail, await AccountQueries.AccountsAsync(request.Db, ids, request.CancellationToken));
    }

    public static async Task<List<DirectDebit>> ReadDirectDebitsAsync(string? accountId, AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require(P.ReadDirectDebits);
        var ids = access.AccountIds(accountId);
        return await request.Db.DirectDebits.AsNoTracking().Where(d => ids.Contains(d.AccountId)).OrderBy(d => d.Id).ToListAsync(request.CancellationToken);
    }

    /// <summary>The standing orders asked for, and whether the consent shows their Detail.</summary>
    /// <remarks>
    /// Two sources, unioned here: the bank's generated standing orders, and those partners made through PIS (issue 16),
    /// read from their own tables (<see cref="Payments.StandingOrders.AisStandingOrders"/>) so the order's state lives in one place.
    /// </remarks>
    public static async Task<(bool Detail, List<Payments.StandingOrders.AisStandingOrder> StandingOrders)> ReadStandingOrdersAsync(string? accountId, AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadStandingOrdersBasic, P.ReadStandingOrdersDetail);
        var ids = access.AccountIds(accountId);
        var generated = await request.Db.StandingOrders.AsNoTracking().Where(s => ids.Contains(s.AccountId)).ToListAsync(request.CancellationToken);
        var made = await Payments.StandingOrders.AisStandingOrders.ReadAsync(request.Db, ids, request.CancellationToken);
        return (detail, [.. generated.Select(Payments.StandingOrders.AisStandingOrder.Generated).Concat(made).OrderBy(s => s.Row.Id, StringComparer.Ordinal)]);
    }

    public static async Task<AisOk<BalanceData>> GetBalances(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require(P.ReadBalances);
        var ids = access.AccountIds(accountId);
        var accounts = await AccountQueries.AccountsWithPendingAsync(request.Db, request.PendingDebits, ids, request.CancellationToken);
        var now = request.Now;
        var codes = request.Codes;
        return request.Ok(new BalanceData([.. accounts.SelectMany(a => ToBalances(a, now, codes))]));
    }

    public static async Task<AisJson<TransactionData>> GetTransactions(
        string? accountId, string? fromBookingDateTime, string? toBookingDateTime, int? page, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadTransactionsBasic, P.ReadTransactionsDetail);
        var ids = access.AccountIds(accountId);
        var window = TransactionWindow.Of(access.Consent,
            ParseFilter(fromBookingDateTime, "fromBookingDateTime"), ParseFilter(toBookingDateTime, "toBookingDateTime"));
        return await PageOfTransactionsAsync(request, access, ids, window, detail, page);
    }

    public static async Task<AisJson<TransactionData>> GetStatementTransactions(
        string accountId, string statementId, int? page, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.RequireBasicOrDetail(P.ReadStatementsBasic, P.ReadStatementsDetail);
        var detail = access.RequireBasicOrDetail(P.ReadTransactionsBasic, P.ReadTransactionsDetail);
        access.RequireAccount(accountId);
        var statement = await FindStatementAsync(request, access, accountId, statementId);
        var window = TransactionWindow.Of(access.Consent, statement.StartDateTime, statement.EndDateTime);
        return await PageOfTransactionsAsync(request, access, [accountId], window, detail, page);
    }

    public static async Task<AisOk<BeneficiaryData>> GetBeneficiaries(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadBeneficiariesBasic, P.ReadBeneficiariesDetail);
        var ids = access.AccountIds(accountId);
        var items = await request.Db.Beneficiaries.AsNoTracking().Where(b => ids.Contains(b.AccountId)).OrderBy(b => b.Id).ToListAsync(request.CancellationToken);
        return request.Ok(new BeneficiaryData(items.ConvertAll(b => ToBeneficiary(b, detail))));
    }


    public static async Task<AisOk<ScheduledPaymentData>> GetScheduledPayments(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadScheduledPaymentsBasic, P.ReadScheduledPaymentsDetail);
        var ids = access.AccountIds(accountId);
        var items = await request.Db.ScheduledPayments.AsNoTracking().Where(s => ids.Contains(s.AccountId)).OrderBy(s => s.Id).ToListAsync(request.CancellationToken);
        return request.Ok(new ScheduledPaymentData(items.ConvertAll(s => ToScheduledPayment(s, detail))));
    }

    public static async Task<AisOk<StatementData>> GetStatements(
        string? accountId, string? statementId, string? fromStatementDateTime, string? toStatementDateTime, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadStatementsBasic, P.ReadStatementsDetail);
        var ids = access.AccountIds(accountId);
        var (from, to) = TransactionWindow.Of(access.Consent,
            ParseFilter(fromStatementDateTime, "fromStatementDateTime"), ParseFilter(toStatementDateTime, "toStatementDateTime"));
        if (statementId is not null)
        {
            var single = await FindStatementAsync(request, access, accountId!, statementId);
            var currency = (await request.CurrenciesAsync([single.AccountId]))[single.AccountId];
            return request.Ok(new StatementData([ToStatement(single, detail, currency)]));
        }

        // A statement is shown only if it lies wholly inside the consent's (and the filter's) window.
        var query = request.Db.Statements.AsNoTracking().Where(s => ids.Contains(s.AccountId));
        if (from is { } start)
        {
            query = query.Where(s => s.StartDateTime >= start);
        }

        if (to is { } end)
        {
            query = query.Where(s => s.EndDateTime <= end);
        }

        var statements = await query.OrderBy(s => s.AccountId).ThenBy(s => s.StartDateTime).ToListAsync(request.CancellationToken);
        var currencies = await request.CurrenciesAsync(ids);
        return request.Ok(new StatementData(statements.ConvertAll(s => ToStatement(s, detail, currencies[s.AccountId]))));
    }

    public static async Task<AisOk<ProductData>> GetProducts(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require(P.ReadProducts);
        var ids = access.AccountIds(accountId);
        var accounts = await AccountQueries.AccountsAsync(request.Db, ids, request.CancellationToken);
        return request.Ok(new ProductData(accounts.ConvertAll(ToProduct)));
    }

    public static async Task<AisOk<OfferData>> GetOffers(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require(P.ReadOffers);
        var ids = access.AccountIds(accountId);
        var offers = await request.Db.Offers.AsNoTracking().Where(o => ids.Contains(o.AccountId)).OrderBy(o => o.Id).ToListAsync(request.CancellationToken);
        var currencies = await request.CurrenciesAsync(ids);
        return request.Ok(new OfferData(offers.ConvertAll(o => ToOffer(o, currencies[o.AccountId]))));
    }

    public static async Task<AisOk<PartyData>> GetAccountParty(string accountId, [AsParameters] AisRequest request)
        => request.Ok(new PartyData(ToParty(await AccountOwnerAsync(accountId, request), "UK.OBIE.Principal", request.Codes)));

    public static async Task<AisOk<PartiesData>> GetAccountParties(string accountId, [AsParameters] AisRequest request)
        => request.Ok(new PartiesData([ToParty(await AccountOwnerAsync(accountId, request), "UK.OBIE.Principal", request.Codes)]));

    public static async Task<AisOk<PartyData>> GetParty([AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require(P.ReadPartyPSU);
        var customer = await request.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == access.Consent.CustomerId, request.CancellationToken);
        return request.Ok(new PartyData(ToParty(customer, accountRole: null, request.Codes)));
    }

    private static async Task<Customer> AccountOwnerAsync(string accountId, AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require(P.ReadParty);
        access.RequireAccount(accountId);
        return await request.Db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Join(request.Db.Customers, a => a.CustomerId, c => c.Id, (a, c) => c).SingleAsync(request.CancellationToken);
    }

    private static async Task<AisJson<TransactionData>> PageOfTransactionsAsync(
        AisRequest request, AisAccess access, string[] ids, TransactionWindow window, bool detail, int? page)
    {
        if (page < 1)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, "page must be 1 or more.", "page"));
        }

        var now = request.Now.UtcDateTime;
        return request.TransactionPages.Serves(request.Db, ids)
            ? request.TransactionPages.Write(request, access, ids[0], window, detail, page ?? 1, request.Options.Value.PageSize, now)
            : await SerializedTransactionPageAsync(request, access, ids, window, detail, page ?? 1, now);
    }

    /// <summary>
    /// A page of transactions read with EF Core and written by the generated serializer: the path for SQL Server and for
    /// several accounts, and the reference <see cref="SqliteTransactionPages"/> writes the same bytes as.
    /// </summary>
    public static async Task<AisJson<TransactionData>> SerializedTransactionPageAsync(
        AisRequest request, AisAccess access, string[] ids, TransactionWindow window, bool detail, int page, DateTime now)
    {
        var result = await AccountQueries.TransactionPageAsync(
            request.Db, access, ids, window, page, request.Options.Value.PageSize, now, request.CancellationToken);
        var meta = new Meta(result.TotalPages, Utc(result.FirstAvailable), Utc(result.LastAvailable));
        var codes = request.Codes;
        var transactions = new ObTransaction[result.Rows.Count];
        for (var i = 0; i < transactions.Length; i++)
        {
            transactions[i] = ToTransaction(result.Rows[i], detail, access, codes);
        }

        var links = request.PageLinks(result.Page, result.TotalPages);
        return AisJson<TransactionData>.Serialize(new AisResponse<TransactionData>(new TransactionData(transactions), links, meta));
    }

    private static async Task<Statement> FindStatementAsync(AisRequest request, AisAccess access, string accountId, string statementId)
    {
        access.RequireAccount(accountId);
        var statement = await request.Db.Statements.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == statementId && s.AccountId == accountId, request.CancellationToken)
            ?? throw ObieException.NotFound("statement", statementId);
        if (!TransactionWindow.Covers(access.Consent, statement.StartDateTime, statement.EndDateTime))
        {
            throw ObieException.Forbidden("The statement lies outside the consent's transaction window.");
        }

        return statement;
    }

    /// <summary>Maps the reads both versions share onto a version's group, with endpoint names ending in <paramref name="suffix"/>.</summary>
    public static RouteGroupBuilder MapSharedReads(this RouteGroupBuilder group, string suffix)
    {
        group.MapGet("/accounts/{accountId}/balances", GetBalances).WithName("GetAccountsAccountIdBalances" + suffix);
        group.MapGet("/balances", GetBalances).WithName("GetBalances" + suffix);
        group.MapGet("/accounts/{accountId}/transactions", GetTransactions).WithName("GetAccountsAccountIdTransactions" + suffix);
        group.MapGet("/transactions", GetTransactions).WithName("GetTransactions" + suffix);
        group.MapGet("/accounts/{accountId}/beneficiaries", GetBeneficiaries).WithName("GetAccountsAccountIdBeneficiaries" + suffix);
        group.MapGet("/beneficiaries", GetBeneficiaries).WithName("GetBeneficiaries" + suffix);
        group.MapGet("/accounts/{accountId}/scheduled-payments", GetScheduledPayments).WithName("GetAccountsAccountIdScheduledPayments" + suffix);
        group.MapGet("/scheduled-payments", GetScheduledPayments).WithName("GetScheduledPayments" + suffix);
        group.MapGet("/accounts/{accountId}/statements", GetStatements).WithName("GetAccountsAccountIdStatements" + suffix);
        group.MapGet("/accounts/{accountId}/statements/{statementId}", GetStatements).WithName("GetAccountsAccountIdStatementsStatementId" + suffix);
        group.MapGet("/statements", GetStatements).WithName("GetStatements" + suffix);
        group.MapGet("/accounts/{accountId}/statements/{statementId}/transactions", GetStatementTransactions)
            .WithName("GetAccountsAccountIdStatementsStatementIdTransactions" + suffix);
        group.MapGet("/accounts/{accountId}/product", GetProducts).WithName("GetAccountsAccountIdProduct" + suffix);
        group.MapGet("/products", GetProducts).WithName("GetProducts" + suffix);
        group.MapGet("/accounts/{accountId}/offers", GetOffers).WithName("GetAccountsAccountIdOffers" + suffix);
        group.MapGet("/offers", GetOffers).WithName("GetOffers" + suffix);
        group.MapGet("/accounts/{accountId}/party", GetAccountParty).WithName("GetAccountsAccountIdParty" + suffix);
        group.MapGet("/accounts/{accountId}/parties", GetAccountParties).WithName("GetAccountsAccountIdParties" + suffix);
        group.MapGet("/party", GetParty).WithName("GetParty" + suffix);
        return group;
    }
}
