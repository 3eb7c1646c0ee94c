using OpenBanking.Sandbox.Clock;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>What every account-information handler of either version needs.</summary>
public sealed record AisRequest(
    HttpContext HttpContext,
    SandboxDbContext Db,
    TenantClock Clock,
    ConsentAccessCache Consents,
    PendingDebitsCache PendingDebits,
    ConsentUsage Usage,
    SqliteTransactionPages TransactionPages,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The version the request is for, from its path.</summary>
    public ApiVersion Version => ObieApi.VersionOf(HttpContext.Request);

    /// <summary>The codes the request's version writes.</summary>
    public AisCodes Codes => AisCodes.For(Version);

    public ValueTask<AisAccess> AccessAsync()
        => AisAccess.ForRequestAsync(HttpContext.User, Db, Consents, Usage, Clock, Version, CancellationToken);

    public async Task<Dictionary<string, string>> CurrenciesAsync(string[] ids)
        => (await AccountQueries.AccountsAsync(Db, ids, CancellationToken)).ToDictionary(a => a.Id, a => a.Currency);

    public AisOk<TData> Ok<TData>(TData data, Meta? meta = null, int page = 1, int totalPages = 1)
        => new(new AisResponse<TData>(data, PageLinks(page, totalPages), meta ?? EmptyMeta));

    private static readonly Meta EmptyMeta = new();

    /// <summary><c>Self</c> always; <c>First</c>, <c>Prev</c>, <c>Next</c>, <c>Last</c> when there is more than one page.</summary>
    public Links PageLinks(int page, int totalPages)
    {
        var request = HttpContext.Request;
        var baseUrl = Options.Value.PublicBaseUrl.TrimEnd('/') + request.Path;
        if (request.Query.Count == 0 && totalPages <= 1 && page <= 1)
        {
            return new Links(baseUrl);
        }

        string Link(int p)
        {
            var url = new StringBuilder(baseUrl);
            var separator = '?';
            foreach (var (key, value) in request.Query)
            {
                if (key != "page")
                {
                    url.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value.ToString()));
                    separator = '&';
                }
            }

            if (p > 1)
            {
                url.Append(separator).Append("page=").Append(p.ToString(CultureInfo.InvariantCulture));
            }

            return url.ToString();
        }

        return totalPages > 1 || page > 1
            ? new Links(Link(page), Link(1), page > 1 ? Link(page - 1) : null, page < totalPages ? Link(page + 1) : null, Link(totalPages))
            : new Links(Link(page));
    }
}
