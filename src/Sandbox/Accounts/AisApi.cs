using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;
using P = OpenBanking.Sandbox.Consents.AccountAccessPermissions;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The account-information resources of v3.1.11, per account and in bulk, each showing only what the consent
/// allows: its accounts, its permissions (Basic or Detail, credits or debits, PAN masked unless ReadPAN) and its
/// transaction window.
/// </summary>
public static class AisApi
{
    public const string BasePath = ObieApi.BasePath + "/aisp";

    public static RouteGroupBuilder MapAisApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Account Information")
            .RequireAuthorization(PlatformScopes.Accounts)
            .WithObieContentNegotiation();

        group.MapGet("/accounts", GetAccounts).WithName("GetAccounts");
        group.MapGet("/accounts/{accountId}", GetAccounts).WithName("GetAccountsAccountId");
        group.MapGet("/accounts/{accountId}/balances", GetBalances).WithName("GetAccountsAccountIdBalances");
        group.MapGet("/balances", GetBalances).WithName("GetBalances");
        group.MapGet("/accounts/{accountId}/transactions", GetTransactions).WithName("GetAccountsAccountIdTransactions");
        group.MapGet("/transactions", GetTransactions).WithName("GetTransactions");
        group.MapGet("/accounts/{accountId}/beneficiaries", GetBeneficiaries).WithName("GetAccountsAccountIdBeneficiaries");
        group.MapGet("/beneficiaries", GetBeneficiaries).WithName("GetBeneficiaries");
        group.MapGet("/accounts/{accountId}/direct-debits", GetDirectDebits).WithName("GetAccountsAccountIdDirectDebits");
        group.MapGet("/direct-debits", GetDirectDebits).WithName("GetDirectDebits");
        group.MapGet("/accounts/{accountId}/standing-orders", GetStandingOrders).WithName("GetAccountsAccountIdStandingOrders");
        group.MapGet("/standing-orders", GetStandingOrders).WithName("GetStandingOrders");
        group.MapGet("/accounts/{accountId}/scheduled-payments", GetScheduledPayments).WithName("GetAccountsAccountIdScheduledPayments");
        group.MapGet("/scheduled-payments", GetScheduledPayments).WithName("GetScheduledPayments");
        group.MapGet("/accounts/{accountId}/statements", GetStatements).WithName("GetAccountsAccountIdStatements");
        group.MapGet("/accounts/{accountId}/statements/{statementId}", GetStatements).WithName("GetAccountsAccountIdStatementsStatementId");
        group.MapGet("/statements", GetStatements).WithName("GetStatements");
        group.MapGet("/accounts/{accountId}/statements/{statementId}/transactions", GetStatementTransactions)
            .WithName("GetAccountsAccountIdStatementsStatementIdTransactions");
        group.MapGet("/accounts/{accountId}/product", GetProducts).WithName("GetAccountsAccountIdProduct");
        group.MapGet("/products", GetProducts).WithName("GetProducts");
        group.MapGet("/accounts/{accountId}/offers", GetOffers).WithName("GetAccountsAccountIdOffers");
        group.MapGet("/offers", GetOffers).WithName("GetOffers");
        group.MapGet("/accounts/{accountId}/party", GetAccountParty).WithName("GetAccountsAccountIdParty");
        group.MapGet("/accounts/{accountId}/parties", GetAccountParties).WithName("GetAccountsAccountIdParties");
        group.MapGet("/party", GetParty).WithName("GetParty");

        return group;
    }

    public static async Task<IResult> GetAccounts(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadAccountsBasic, P.ReadAccountsDetail);
        var ids = request.AccountIds(access, accountId);
        var accounts = await request.Db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(request.CancellationToken);
        return request.Ok("Account", accounts.Select(a => new ObAccount(
            a.Id, "Enabled", Utc(a.OpeningDate), a.Currency, a.AccountType, a.AccountSubType, a.Description, a.Nickname, Utc(a.OpeningDate),
            detail ? [new ObCashAccount(a.SchemeName, MaskPan(a.SchemeName, a.Identification, access), a.Name)] : null)));
    }

    public static async Task<IResult> GetBalances(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadBalances");
        var ids = request.AccountIds(access, accountId);
        var accounts = await request.Db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(request.CancellationToken);
        var pending = await request.Db.Transactions.AsNoTracking()
            .Where(t => ids.Contains(t.AccountId) && t.Status == "Pending" && !t.IsCredit)
            .GroupBy(t => t.AccountId)
            .Select(g => new { AccountId = g.Key, Debits = g.Sum(t => t.AmountMinor) })
            .ToDictionaryAsync(x => x.AccountId, x => x.Debits, request.CancellationToken);

        var now = request.Now;
        var balances = accounts.SelectMany(a =>
        {
            var creditLineType = a.AccountSubType == "CreditCard" ? "Credit" : "Pre-Agreed";
            var lines = a.CreditLimitMinor > 0;
            var available = a.BookedBalanceMinor - pending.GetValueOrDefault(a.Id) + a.CreditLimitMinor;
            return new[]
            {
                Balance(a, "InterimBooked", now, a.BookedBalanceMinor, lines ? [new ObCreditLine(false, creditLineType, ObAmount.Of(a.CreditLimitMinor, a.Currency))] : null),
                Balance(a, "InterimAvailable", now, available, lines ? [new ObCreditLine(true, creditLineType, ObAmount.Of(a.CreditLimitMinor, a.Currency))] : null),
                // Nothing is booked today before the sandbox's daily close, so yesterday's close is the booked balance.
                Balance(a, "ClosingBooked", new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero), a.BookedBalanceMinor, null),
            };
        });
        return request.Ok("Balance", balances);
    }

    public static async Task<IResult> GetTransactions(
        string? accountId, string? fromBookingDateTime, string? toBookingDateTime, int? page, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail(P.ReadTransactionsBasic, P.ReadTransactionsDetail);
        var ids = request.AccountIds(access, accountId);
        var window = Window(access.Consent, ParseFilter(fromBookingDateTime, "fromBookingDateTime"), ParseFilter(toBookingDateTime, "toBookingDateTime"));
        return await PageOfTransactionsAsync(request, access, ids, window, detail, page);
    }

    public static async Task<IResult> GetStatementTransactions(
        string accountId, string statementId, int? page, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.RequireBasicOrDetail("ReadStatementsBasic", "ReadStatementsDetail");
        var detail = access.RequireBasicOrDetail(P.ReadTransactionsBasic, P.ReadTransactionsDetail);
        access.RequireAccount(accountId);
        var statement = await FindStatementAsync(request, access, accountId, statementId);
        var window = Window(access.Consent, statement.StartDateTime, statement.EndDateTime);
        return await PageOfTransactionsAsync(request, access, [accountId], window, detail, page);
    }

    public static async Task<IResult> GetBeneficiaries(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail("ReadBeneficiariesBasic", "ReadBeneficiariesDetail");
        var ids = request.AccountIds(access, accountId);
        var items = await request.Db.Beneficiaries.AsNoTracking().Where(b => ids.Contains(b.AccountId)).OrderBy(b => b.Id).ToListAsync(request.CancellationToken);
        return request.Ok("Beneficiary", items.Select(b => new ObBeneficiary(b.AccountId, b.Id, "Trusted", b.Reference,
            detail ? new ObCashAccount(b.SchemeName, b.Identification, b.Name) : null)));
    }

    public static async Task<IResult> GetDirectDebits(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadDirectDebits");
        var ids = request.AccountIds(access, accountId);
        var items = await request.Db.DirectDebits.AsNoTracking().Where(d => ids.Contains(d.AccountId)).OrderBy(d => d.Id).ToListAsync(request.CancellationToken);
        return request.Ok("DirectDebit", items.Select(d => new ObDirectDebit(d.AccountId, d.Id, d.MandateIdentification, "Active", d.Name,
            d.PreviousPaymentDateTime is { } at ? Utc(at) : null,
            d.PreviousPaymentAmountMinor is { } amount ? ObAmount.Of(amount, d.Currency) : null)));
    }

    public static async Task<IResult> GetStandingOrders(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail("ReadStandingOrdersBasic", "ReadStandingOrdersDetail");
        var ids = request.AccountIds(access, accountId);
        var items = await request.Db.StandingOrders.AsNoTracking().Where(s => ids.Contains(s.AccountId)).OrderBy(s => s.Id).ToListAsync(request.CancellationToken);
        return request.Ok("StandingOrder", items.Select(s => new ObStandingOrder(s.AccountId, s.Id, s.Frequency, s.Reference,
            Utc(s.FirstPaymentDateTime), Utc(s.NextPaymentDateTime), "Active", ObAmount.Of(s.AmountMinor, s.Currency), ObAmount.Of(s.AmountMinor, s.Currency),
            detail ? new ObCashAccount(s.CreditorSchemeName, s.CreditorIdentification, s.CreditorName) : null)));
    }

    public static async Task<IResult> GetScheduledPayments(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail("ReadScheduledPaymentsBasic", "ReadScheduledPaymentsDetail");
        var ids = request.AccountIds(access, accountId);
        var items = await request.Db.ScheduledPayments.AsNoTracking().Where(s => ids.Contains(s.AccountId)).OrderBy(s => s.Id).ToListAsync(request.CancellationToken);
        return request.Ok("ScheduledPayment", items.Select(s => new ObScheduledPayment(s.AccountId, s.Id, Utc(s.ExecutionDateTime), "Execution",
            s.Reference, ObAmount.Of(s.AmountMinor, s.Currency),
            detail ? new ObCashAccount(s.CreditorSchemeName, s.CreditorIdentification, s.CreditorName) : null)));
    }

    public static async Task<IResult> GetStatements(
        string? accountId, string? statementId, string? fromStatementDateTime, string? toStatementDateTime, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        var detail = access.RequireBasicOrDetail("ReadStatementsBasic", "ReadStatementsDetail");
        var ids = request.AccountIds(access, accountId);
        var (from, to) = Window(access.Consent, ParseFilter(fromStatementDateTime, "fromStatementDateTime"), ParseFilter(toStatementDateTime, "toStatementDateTime"));
        if (statementId is not null)
        {
            var single = await FindStatementAsync(request, access, accountId!, statementId);
            var currency = (await request.CurrenciesAsync([single.AccountId]))[single.AccountId];
            return request.Ok("Statement", new[] { ToStatement(single, detail, currency) });
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
        return request.Ok("Statement", statements.Select(s => ToStatement(s, detail, currencies[s.AccountId])));
    }

    public static async Task<IResult> GetProducts(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadProducts");
        var ids = request.AccountIds(access, accountId);
        var accounts = await request.Db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Id).ToListAsync(request.CancellationToken);
        return request.Ok("Product", accounts.Select(a => new ObProduct(a.Id, "prd-" + a.AccountSubType.ToLowerInvariant(), a.ProductName,
            (a.AccountType, a.AccountSubType) switch
            {
                ("Personal", "CurrentAccount") => "PersonalCurrentAccount",
                ("Business", "CurrentAccount") => "BusinessCurrentAccount",
                _ => "Other",
            })));
    }

    public static async Task<IResult> GetOffers(string? accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadOffers");
        var ids = request.AccountIds(access, accountId);
        var offers = await request.Db.Offers.AsNoTracking().Where(o => ids.Contains(o.AccountId)).OrderBy(o => o.Id).ToListAsync(request.CancellationToken);
        var currencies = await request.CurrenciesAsync(ids);
        return request.Ok("Offer", offers.Select(o => new ObOffer(o.AccountId, o.Id, o.OfferType, o.Description, Utc(o.StartDateTime),
            Utc(o.EndDateTime), o.Rate, o.AmountMinor is { } amount ? ObAmount.Of(amount, currencies[o.AccountId]) : null)));
    }

    public static async Task<IResult> GetAccountParty(string accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadParty");
        access.RequireAccount(accountId);
        var owner = await request.Db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Join(request.Db.Customers, a => a.CustomerId, c => c.Id, (a, c) => c).SingleAsync(request.CancellationToken);
        return request.Ok("Party", ToParty(owner, "UK.OBIE.Principal"));
    }

    public static async Task<IResult> GetAccountParties(string accountId, [AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadParty");
        access.RequireAccount(accountId);
        var owner = await request.Db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Join(request.Db.Customers, a => a.CustomerId, c => c.Id, (a, c) => c).SingleAsync(request.CancellationToken);
        return request.Ok("Party", new[] { ToParty(owner, "UK.OBIE.Principal") });
    }

    public static async Task<IResult> GetParty([AsParameters] AisRequest request)
    {
        var access = await request.AccessAsync();
        access.Require("ReadPartyPSU");
        var customer = await request.Db.Customers.AsNoTracking().SingleAsync(c => c.Id == access.Consent.CustomerId, request.CancellationToken);
        return request.Ok("Party", ToParty(customer, accountRole: null));
    }

    private static async Task<IResult> PageOfTransactionsAsync(
        AisRequest request, AisAccess access, IReadOnlyList<string> ids, (DateTime? From, DateTime? To) window, bool detail, int? page)
    {
        var credits = access.Has(P.ReadTransactionsCredits);
        var debits = access.Has(P.ReadTransactionsDebits);
        // One account (the common case) as an equality, so SQLite walks the (AccountId, BookingDateTime, Id) index
        // in order instead of sorting the account's whole history for every page.
        var single = ids.Count == 1 ? ids[0] : null;
        var query = single is not null
            ? request.Db.Transactions.AsNoTracking().Where(t => t.AccountId == single)
            : request.Db.Transactions.AsNoTracking().Where(t => ids.Contains(t.AccountId));
        if (credits != debits)
        {
            query = query.Where(t => t.IsCredit == credits);
        }

        if (window.From is { } from)
        {
            query = query.Where(t => t.BookingDateTime >= from);
        }

        if (window.To is { } to)
        {
            query = query.Where(t => t.BookingDateTime <= to);
        }

        var accounts = await request.Db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.OpeningDate, a.TransactionCount, a.CreditTransactionCount }).ToListAsync(request.CancellationToken);

        // Without a date window the accounts' own counters give the total; a window needs a real count.
        var total = window.From is null && window.To is null
            ? accounts.Sum(a => credits && debits ? a.TransactionCount : credits ? a.CreditTransactionCount : a.TransactionCount - a.CreditTransactionCount)
            : await query.CountAsync(request.CancellationToken);
        var pageSize = request.Options.Value.PageSize;
        var totalPages = Math.Max(1, (total + pageSize - 1) / pageSize);
        var current = page ?? 1;
        if (current < 1)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, "page must be 1 or more.", "page"));
        }

        var rows = await query.OrderByDescending(t => t.BookingDateTime).ThenByDescending(t => t.Id)
            .Skip((current - 1) * pageSize).Take(pageSize).ToListAsync(request.CancellationToken);

        var firstAvailable = Later(accounts.Count > 0 ? accounts.Min(a => a.OpeningDate) : request.Now.UtcDateTime, access.Consent.TransactionFromDateTime?.UtcDateTime);
        var lastAvailable = Earlier(request.Now.UtcDateTime, access.Consent.TransactionToDateTime?.UtcDateTime);
        var meta = new Meta(totalPages, Utc(firstAvailable), Utc(lastAvailable));

        return request.Ok("Transaction", rows.Select(t => ToTransaction(t, detail, access)), meta, current, totalPages);
    }

    private static ObTransaction ToTransaction(BankTransaction t, bool detail, AisAccess access)
    {
        var counterparty = t.CounterpartyIdentification is null
            ? null
            : new ObCashAccount(t.CounterpartySchemeName!, MaskPan(t.CounterpartySchemeName!, t.CounterpartyIdentification, access), t.CounterpartyName);
        return new ObTransaction(
            t.AccountId,
            t.TransactionId,
            t.Reference,
            t.IsCredit ? "Credit" : "Debit",
            t.Status,
            t.Status == "Booked" ? "Immutable" : "Mutable",
            Utc(t.BookingDateTime),
            Utc(t.ValueDateTime),
            detail ? t.Information : null,
            ObAmount.Of(t.AmountMinor, t.Currency),
            new ObBankTransactionCode(t.BankCode, t.BankSubCode),
            new ObProprietaryCode(t.ProprietaryCode, "SandboxBank"),
            detail && t.BalanceAfterMinor is { } balance
                ? new ObTransactionBalance(balance >= 0 ? "Credit" : "Debit", "InterimBooked", ObAmount.Of(balance, t.Currency))
                : null,
            detail && t.MerchantName is not null ? new ObMerchantDetails(t.MerchantName, t.MerchantCategoryCode) : null,
            detail && !t.IsCredit ? counterparty : null,
            detail && t.IsCredit ? counterparty : null,
            t.CardPan is null ? null : new ObCardInstrument("MasterCard", "ConsumerDevice", t.CardPan));
    }

    private static async Task<Statement> FindStatementAsync(AisRequest request, AisAccess access, string accountId, string statementId)
    {
        access.RequireAccount(accountId);
        var statement = await request.Db.Statements.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == statementId && s.AccountId == accountId, request.CancellationToken)
            ?? throw ObieException.NotFound("statement", statementId);
        var consent = access.Consent;
        if ((consent.TransactionFromDateTime is { } from && statement.StartDateTime < from.UtcDateTime)
            || (consent.TransactionToDateTime is { } to && statement.EndDateTime > to.UtcDateTime))
        {
            throw ObieException.Forbidden("The statement lies outside the consent's transaction window.");
        }

        return statement;
    }

    private static ObStatement ToStatement(Statement s, bool detail, string currency) => new(
        s.AccountId, s.Id, $"{s.StartDateTime:yyyyMM}-{s.AccountId[^6..]}", "RegularPeriodic", Utc(s.StartDateTime), Utc(s.EndDateTime),
        Utc(s.CreationDateTime), [$"Statement for {s.StartDateTime:MMMM yyyy}"],
        detail
            ?
            [
                new ObStatementAmount(s.OpeningBalanceMinor >= 0 ? "Credit" : "Debit", "UK.OBIE.PreviousClosingBalance", ObAmount.Of(s.OpeningBalanceMinor, currency)),
                new ObStatementAmount(s.ClosingBalanceMinor >= 0 ? "Credit" : "Debit", "UK.OBIE.ClosingBalance", ObAmount.Of(s.ClosingBalanceMinor, currency)),
                new ObStatementAmount("Credit", "UK.OBIE.TotalCredits", ObAmount.Of(s.TotalCreditsMinor, currency)),
                new ObStatementAmount("Debit", "UK.OBIE.TotalDebits", ObAmount.Of(s.TotalDebitsMinor, currency)),
            ]
            : null);

    private static ObParty ToParty(Customer c, string? accountRole) => new(
        c.Id, "Sole", c.Name, c.Name, accountRole, c.Email,
        c.Phone is { Length: > 3 } phone ? $"{phone[..3]}-{phone[3..]}" : null,
        [new ObPostalAddress(c.IsBusiness ? "Business" : "Residential", c.AddressLine is null ? null : [c.AddressLine], c.PostCode, c.TownName, c.Country)]);

    private static ObBalance Balance(Account a, string type, DateTimeOffset at, long amount, IReadOnlyList<ObCreditLine>? lines)
        => new(a.Id, amount >= 0 ? "Credit" : "Debit", type, at, ObAmount.Of(amount, a.Currency), lines);

    private static string MaskPan(string scheme, string identification, AisAccess access)
        => scheme == "UK.OBIE.PAN" && !access.Has("ReadPAN") && identification.Length > 4
            ? new string('*', identification.Length - 4) + identification[^4..]
            : identification;

    /// <summary>The filter intersected with the consent's transaction window.</summary>
    private static (DateTime? From, DateTime? To) Window(AccountAccessConsent consent, DateTime? from, DateTime? to)
        => (Later(from, consent.TransactionFromDateTime?.UtcDateTime), Earlier(to, consent.TransactionToDateTime?.UtcDateTime));

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateTime Later(DateTime a, DateTime? b) => b is { } other && other > a ? other : a;

    private static DateTime? Earlier(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    private static DateTime Earlier(DateTime a, DateTime? b) => b is { } other && other < a ? other : a;

    /// <summary>
    /// Query filters are read as the bank's own time (UTC): a zone, if sent, is ignored, as the specification asks. A
    /// date alone means its midnight.
    /// </summary>
    private static DateTime? ParseFilter(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return DateTime.SpecifyKind(parsed.DateTime, DateTimeKind.Utc);
        }

        throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalidDate, $"{name} must be a date or date-time, e.g. 2026-01-31T00:00:00.", name));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
}

/// <summary>What every account-information handler needs.</summary>
public sealed record AisRequest(
    HttpContext HttpContext,
    SandboxDbContext Db,
    TimeProvider Clock,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    private AisAccess? _access;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public async Task<AisAccess> AccessAsync()
        => _access ??= await AisAccess.ForRequestAsync(HttpContext.User, Db, Clock, CancellationToken);

    /// <summary>The one account asked for (which must be in the consent), or every account of the consent.</summary>
    public IReadOnlyList<string> AccountIds(AisAccess access, string? accountId)
    {
        if (accountId is null)
        {
            return access.Consent.AccountIds;
        }

        access.RequireAccount(accountId);
        return [accountId];
    }

    public Task<Dictionary<string, string>> CurrenciesAsync(IReadOnlyList<string> ids)
        => Db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Currency, CancellationToken);

    public IResult Ok(string key, object data, Meta? meta = null, int page = 1, int totalPages = 1)
    {
        var request = HttpContext.Request;
        var baseUrl = Options.Value.PublicBaseUrl.TrimEnd('/') + request.Path;
        string Link(int p)
        {
            var query = request.Query.Where(q => q.Key != "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").ToList();
            if (p > 1)
            {
                query.Add($"page={p}");
            }

            return query.Count == 0 ? baseUrl : $"{baseUrl}?{string.Join('&', query)}";
        }

        var links = totalPages > 1 || page > 1
            ? new Links(Link(page), Link(1), page > 1 ? Link(page - 1) : null, page < totalPages ? Link(page + 1) : null, Link(totalPages))
            : new Links(Link(page));
        return TypedResults.Ok(new AisResponse(new Dictionary<string, object?> { [key] = data }, links, meta ?? new Meta()));
    }
}

/// <summary>The envelope of every account-information response: <c>Data</c>, <c>Links</c>, <c>Meta</c>.</summary>
public sealed record AisResponse(IReadOnlyDictionary<string, object?> Data, Links Links, Meta Meta);
