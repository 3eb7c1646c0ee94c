using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>The Sandbox's internal tenant endpoints (scope <c>sandbox.internal</c>): test customers, payments, the test clock and resets.</summary>
public sealed class SandboxTenantsClient(HttpClient http)
{
    public async Task<IReadOnlyList<TestCustomer>> ListCustomersAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/tenants/{organisationId}/customers", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TestCustomer[]>(ct))!;
    }

    /// <summary>The tenant's payments, newest first, with their risk scores and reasons.</summary>
    public async Task<IReadOnlyList<TenantPayment>> ListPaymentsAsync(Guid organisationId, int take, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/tenants/{organisationId}/payments?take={take}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TenantPayment[]>(ct))!;
    }

    /// <summary>Releases (approve) or rejects a payment the risk screen held for review; the status the decision produced.</summary>
    public async Task<string> ReviewPaymentAsync(Guid organisationId, string paymentId, bool approve, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(
            $"internal/tenants/{organisationId}/payments/{Uri.EscapeDataString(paymentId)}/review", new { approve }, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<string>(ct) ?? (approve ? "AcceptedSettlementInProcess" : "Rejected");
    }

    /// <summary>The tenant's test clock: its time and whether it is frozen.</summary>
    public async Task<TenantClock> GetClockAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/tenants/{organisationId}/clock", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TenantClock>(ct))!;
    }

    /// <summary>
    /// What will fall due between the tenant's now and <paramref name="until"/> (an ISO 8601 duration such as "P1M", or an
    /// RFC 3339 time), without moving the clock.
    /// </summary>
    /// <exception cref="PlatformServiceException">The Sandbox refused <paramref name="until"/>; the message says why.</exception>
    public async Task<ClockPreview> PreviewClockAsync(Guid organisationId, string until, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/tenants/{organisationId}/clock/preview?until={Uri.EscapeDataString(until)}", ct);
        await EnsureClockSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<ClockPreview>(ct))!;
    }

    /// <summary>Freezes, runs, or advances the clock (running what falls due on the way); the clock afterwards.</summary>
    /// <exception cref="PlatformServiceException">The move is refused (into the past, too far); the message says why in plain words.</exception>
    public async Task<ClockMoved> MoveClockAsync(Guid organisationId, ClockMove move, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"internal/tenants/{organisationId}/clock", move, ClockJson, ct);
        await EnsureClockSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<ClockMoved>(ct))!;
    }

    // The Sandbox reads a move as its public API does: PascalCase names, exactly one of them ("advance" is refused).
    private static readonly System.Text.Json.JsonSerializerOptions ClockJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The clock's refusals are problem details whose <c>detail</c> is the sentence for the person (its title is generic).</summary>
    private static async Task EnsureClockSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == System.Net.HttpStatusCode.BadRequest
            && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            && (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(ct))?.Detail is { Length: > 0 } detail)
        {
            throw new PlatformServiceException(detail);
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
    }

    /// <summary>
    /// Creates a partner's own test customer in the tenant's bank (the same rules as <c>POST /sandbox/v1/customers</c>);
    /// a refusal is a <see cref="PlatformServiceException"/> with every field error (<c>Accounts[0].Currency</c>, …).
    /// </summary>
    public async Task<CreatedCustomer> CreateCustomerAsync(Guid organisationId, NewCustomer customer, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"internal/tenants/{organisationId}/customers", customer, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<CreatedCustomer>(ct))!;
    }

    /// <summary>Removes a custom test customer (never a persona) with its accounts, consents and history.</summary>
    public async Task DeleteCustomerAsync(Guid organisationId, string customerId, CancellationToken ct)
    {
        using var response = await http.DeleteAsync($"internal/tenants/{organisationId}/customers/{Uri.EscapeDataString(customerId)}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
    }

    public async Task ResetAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.PostAsync($"internal/tenants/{organisationId}/reset", null, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
    }
}

/// <param name="Persona">The persona's name, or <c>custom</c> for a partner's own customer.</param>
public sealed record TestCustomer(string CustomerId, string Username, string Persona, string Name, string Password, string TotpSecret, string TotpUri);

/// <summary>
/// A partner's own test customer, as <c>POST /sandbox/v1/customers</c> takes it (JSON names as here, PascalCase).
/// <c>Password</c> null = the sandbox default; amounts are decimal strings in the account's currency.
/// </summary>
public sealed record NewCustomer(string Username, string Name, string? Password, IReadOnlyList<NewAccount> Accounts);

/// <summary>
/// One account: ISO 4217 <c>Currency</c>, <c>OpeningBalance</c> (≥ 0) and optionally a history, either from a
/// <c>Template</c> or an explicit list of <c>Transactions</c> (not both).
/// </summary>
public sealed record NewAccount(
    string Currency, string OpeningBalance, string? Nickname = null, string? AccountSubType = null,
    HistoryTemplate? Template = null, IReadOnlyList<NewTransaction>? Transactions = null);

/// <summary>
/// A generated history of <c>Months</c> (1–24) months before the tenant's now: a monthly <c>Salary</c> credit, a monthly
/// <c>Rent</c> debit, and card spending of a <c>CardSpending</c> profile (<c>none</c>, <c>light</c>, <c>moderate</c>,
/// <c>heavy</c>). The account opens with its <c>OpeningBalance</c> at the start of the history, and the history's
/// transactions follow (a history that would take the balance below zero is refused, saying by how much).
/// </summary>
public sealed record HistoryTemplate(int Months, string? Salary = null, string? Rent = null, string? CardSpending = null);

/// <summary>
/// One booked transaction of an uploaded list: signed <c>Amount</c> (negative = debit), booked at an RFC 3339 time before
/// the tenant's now; the account opens with its <c>OpeningBalance</c> before the first of them.
/// </summary>
public sealed record NewTransaction(string BookingDateTime, string Amount, string Description, string? MerchantName = null);

/// <summary>What a create answers: the sign-in details (shown to the partner) and the accounts made.</summary>
public sealed record CreatedCustomer(
    string CustomerId, string Username, string Name, string Password, string TotpSecret, string TotpUri,
    IReadOnlyList<CreatedAccount> Accounts);

/// <summary>An account made for a custom customer: its id, scheme identification (sort code + number for GBP, else IBAN) and balance.</summary>
public sealed record CreatedAccount(string AccountId, string Currency, string SchemeName, string Identification, string Balance, int Transactions);

/// <summary>A payment of the tenant's bank (the Sandbox's <c>TenantPayment</c>).</summary>
/// <param name="Amount">What left the payer's account, in <paramref name="Currency"/>, with the currency's own decimals.</param>
/// <param name="Kind">Domestic, Scheduled, StandingOrder, Vrp or International.</param>
/// <param name="SentAmount">A payment abroad: what went to the payee's bank, in <paramref name="SentCurrency"/>.</param>
/// <param name="ExchangeRate">Units of <paramref name="SentCurrency"/> per one of <paramref name="Currency"/>, when converted.</param>
/// <param name="ScreeningReasons">A payment abroad: cross-border screening's findings (also among <paramref name="RiskReasons"/>).</param>
public sealed record TenantPayment(
    string PaymentId, string ConsentId, string ClientId, string Status, string Amount, string Currency, string CreditorName,
    string? Reference, DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt, string? StatusReason, int RiskScore,
    IReadOnlyList<string> RiskReasons, bool HeldForReview,
    string Kind = "Domestic", string? SentAmount = null, string? SentCurrency = null, decimal? ExchangeRate = null,
    IReadOnlyList<string>? ScreeningReasons = null)
{
    public bool IsInternational => Kind == "International";
}

/// <summary>A tenant's test clock (the Sandbox's <c>ClockView</c>).</summary>
public sealed record TenantClock(DateTimeOffset Now, bool Frozen);

/// <summary>One move of the clock: exactly one of the three (the Sandbox's <c>ClockMove</c>).</summary>
/// <param name="Advance">An ISO 8601 duration: "P1D", "P1W", "P1M".</param>
/// <param name="Set">An RFC 3339 time at or after the tenant's now.</param>
public sealed record ClockMove(string? Advance = null, string? Set = null, bool? Freeze = null);

/// <summary>The clock after a move, with where it started and how many things ran on the way.</summary>
public sealed record ClockMoved(DateTimeOffset Now, bool Frozen, DateTimeOffset? From = null, int? Ran = null);

/// <summary>What falls due between now and <see cref="Until"/>; <see cref="More"/> when the list was cut short.</summary>
public sealed record ClockPreview(DateTimeOffset Now, bool Frozen, DateTimeOffset Until, IReadOnlyList<ClockEvent> Events, bool More);

/// <summary>Something that happens at a time on the tenant's clock: a payment due, a consent expiring.</summary>
public sealed record ClockEvent(DateTimeOffset At, string Kind, string ResourceId, string Description);
