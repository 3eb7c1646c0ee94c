using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace OpenBanking.Portal.Platform;

/// <summary>The Gateway's call log (<c>/internal/calls</c>, scope <c>gateway.calls</c>), always for one organisation.</summary>
public sealed class GatewayCallsClient(HttpClient http)
{
    public async Task<CallPage> ListAsync(CallFilter filter, int page, int pageSize, CancellationToken ct)
    {
        var query = Query(filter).Append("&page=").Append(page).Append("&pageSize=").Append(pageSize);
        using var response = await http.GetAsync("internal/calls/" + query, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CallPage>(ct))!;
    }

    /// <summary>One call with its headers, bodies and error; null when it is not this organisation's (or app's), or gone.</summary>
    public async Task<CallDetail?> GetAsync(Guid organisationId, string? clientId, long id, CancellationToken ct)
    {
        var query = Query(new CallFilter(organisationId, clientId));
        using var response = await http.GetAsync($"internal/calls/{id.ToString(CultureInfo.InvariantCulture)}{query}", ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CallDetail>(ct))!;
    }

    public async Task<CallStatistics> StatisticsAsync(CallFilter filter, string bucket, CancellationToken ct)
    {
        var query = Query(filter with { Status = null, Path = null, InteractionId = null }).Append("&bucket=").Append(bucket);
        using var response = await http.GetAsync("internal/calls/stats" + query, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CallStatistics>(ct))!;
    }

    private static StringBuilder Query(CallFilter filter)
    {
        var query = new StringBuilder("?organisationId=").Append(Uri.EscapeDataString(filter.OrganisationId.ToString()));
        Add(query, "clientId", filter.ClientId);
        Add(query, "from", filter.From?.ToString("O", CultureInfo.InvariantCulture));
        Add(query, "to", filter.To?.ToString("O", CultureInfo.InvariantCulture));
        Add(query, "status", filter.Status);
        Add(query, "path", filter.Path);
        Add(query, "interactionId", filter.InteractionId);
        Add(query, "apiVersion", filter.ApiVersion);
        return query;
    }

    private static void Add(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
    }
}

/// <summary>What to list; <c>ApiVersion</c> (<c>v3.1.11</c>, <c>v4.0</c>) is the gateway's own version filter.</summary>
public sealed record CallFilter(
    Guid OrganisationId, string? ClientId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Status = null,
    string? Path = null, string? InteractionId = null, string? ApiVersion = null);

/// <summary>
/// One call as the gateway logged it; <c>ApiVersion</c> (<c>v3.1.11</c>, <c>v4.0</c>) is null for calls outside the bank
/// APIs and for gateways that do not report it. <c>Signed</c>: null when the route takes no signature, else whether a
/// verified <c>x-jws-signature</c> (by <c>SignatureKid</c>) came with it; <c>DpopBound</c>: the token was DPoP-bound and
/// its proof verified (key thumbprint <c>DpopJkt</c>); <c>RefusalRule</c>: the signing or DPoP rule a refused call broke.
/// </summary>
public sealed record CallView(
    long Id, DateTimeOffset Timestamp, string? ClientId, string Method, string? RouteTemplate, string Path, int StatusCode,
    double DurationMs, string? InteractionId, string? ErrorCode, long RequestBytes, long ResponseBytes, string? ApiVersion = null,
    bool? Signed = null, string? SignatureKid = null, bool DpopBound = false, string? DpopJkt = null, string? RefusalRule = null);

public sealed record CallHeader(string Name, string Value);

/// <summary>A body as the gateway kept it: real size, first 16 KiB as text (JSON or text only), or why nothing is shown.</summary>
public sealed record CallBody(long Bytes, string? Text, bool Truncated, string? Note);

public sealed record CallDetail(
    CallView Call, string? Query, bool DetailKept, IReadOnlyList<CallHeader> RequestHeaders, IReadOnlyList<CallHeader> ResponseHeaders,
    CallBody RequestBody, CallBody ResponseBody, IReadOnlyList<string> ErrorCodes, string? ErrorMessage);

public sealed record CallPage(IReadOnlyList<CallView> Items, int Page, int PageSize, int Total);

public sealed record CallBucket(DateTimeOffset Start, int Calls, int Errors);

public sealed record EndpointStatistics(string Method, string? RouteTemplate, int Calls, double ErrorRate, double P50Ms, double P95Ms);

public sealed record CallStatistics(
    DateTimeOffset From, DateTimeOffset To, string Bucket, int Calls, int Errors, double ErrorRate, bool Truncated,
    IReadOnlyList<CallBucket> Series, IReadOnlyList<EndpointStatistics> Endpoints, long DroppedRecords);
