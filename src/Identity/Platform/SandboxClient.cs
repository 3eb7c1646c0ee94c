using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace OpenBanking.Identity.Platform;

/// <summary>
/// Identity's view of the Sandbox bank's internal endpoints: its test customers (authenticated there, never stored
/// here) and the consents they authorise. Every call carries an internal <c>sandbox.internal</c> token.
/// </summary>
public sealed class SandboxClient(HttpClient http)
{
    public async Task<SandboxConsent?> GetConsentAsync(string consentId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/consents/{Uri.EscapeDataString(consentId)}", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<SandboxConsent>(response, ct);
    }

    /// <summary>
    /// The customer when the username and password are right; otherwise why not: no such tenant or customer, or a
    /// wrong password (the pages show both alike; only the second counts towards a lockout).
    /// </summary>
    public async Task<SandboxAuthentication> AuthenticateAsync(string organisationId, string username, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(
            $"internal/tenants/{Uri.EscapeDataString(organisationId)}/customers/authenticate", new { username, password }, ct);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest => SandboxAuthentication.UnknownCustomer,
            HttpStatusCode.Unauthorized => SandboxAuthentication.WrongPassword,
            _ => new SandboxAuthentication(await ReadAsync<SandboxCustomer>(response, ct), CustomerExists: true),
        };
    }

    public async Task<bool> VerifySecondFactorAsync(string organisationId, string customerId, string code, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(
            $"internal/tenants/{Uri.EscapeDataString(organisationId)}/customers/{Uri.EscapeDataString(customerId)}/second-factor", new { code }, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<IReadOnlyList<SandboxAccount>> ListAccountsAsync(string organisationId, string customerId, CancellationToken ct)
    {
        using var response = await http.GetAsync(
            $"internal/tenants/{Uri.EscapeDataString(organisationId)}/customers/{Uri.EscapeDataString(customerId)}/accounts", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? [] : await ReadAsync<SandboxAccount[]>(response, ct);
    }

    public async Task<IReadOnlyList<SandboxConsent>> ListConsentsAsync(string organisationId, string customerId, CancellationToken ct)
    {
        using var response = await http.GetAsync(
            $"internal/tenants/{Uri.EscapeDataString(organisationId)}/customers/{Uri.EscapeDataString(customerId)}/consents", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? [] : await ReadAsync<SandboxConsent[]>(response, ct);
    }

    /// <summary>
    /// Every consent of the customer's, current and ended, with its status history (the connected-apps page and the
    /// customer's history download); empty when the Sandbox knows no such customer.
    /// </summary>
    public async Task<IReadOnlyList<SandboxConsentRecord>> GetConsentHistoryAsync(string organisationId, string customerId, CancellationToken ct)
    {
        using var response = await http.GetAsync(
            $"internal/tenants/{Uri.EscapeDataString(organisationId)}/customers/{Uri.EscapeDataString(customerId)}/consent-history", ct);
        return response.StatusCode == HttpStatusCode.NotFound ? [] : await ReadAsync<SandboxConsentRecord[]>(response, ct);
    }

    public Task<SandboxResult> AuthoriseAsync(string consentId, string customerId, IReadOnlyCollection<string> accountIds, CancellationToken ct)
        => PostAsync($"internal/consents/{Uri.EscapeDataString(consentId)}/authorise", new { customerId, accountIds }, ct);

    /// <summary>
    /// The customer denies the consent; or, with <paramref name="authorisationFailed"/>, Identity withdraws an approval
    /// it could not complete (no code issued), so the consent does not stay Authorised and unusable.
    /// </summary>
    public Task<SandboxResult> RejectAsync(string consentId, string? customerId, CancellationToken ct, bool authorisationFailed = false)
        => PostAsync($"internal/consents/{Uri.EscapeDataString(consentId)}/reject", new { customerId, authorisationFailed }, ct);

    public Task<SandboxResult> RevokeAsync(string consentId, string customerId, CancellationToken ct)
        => PostAsync($"internal/consents/{Uri.EscapeDataString(consentId)}/revoke", new { customerId }, ct);

    private async Task<SandboxResult> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        if (response.IsSuccessStatusCode)
        {
            return new SandboxResult(await response.Content.ReadFromJsonAsync<SandboxConsent>(ct), null);
        }

        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadFromJsonAsync<Problem>(ct);
            return new SandboxResult(null, problem?.Title ?? "The consent cannot be changed.");
        }

        response.EnsureSuccessStatusCode();
        throw new UnreachableException();
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new InvalidOperationException("The Sandbox answered with an empty body.");
    }

    /// <summary>
    /// Whether a call failed because the Sandbox could not answer properly (unreachable, an error status, too slow, a
    /// resilience pipeline's refusal, a garbled body), as opposed to a fault of the caller's own.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
        => exception is HttpRequestException or TimeoutException or OperationCanceledException or System.Text.Json.JsonException
            || exception.GetType().Namespace?.StartsWith("Polly", StringComparison.Ordinal) == true;

    private sealed record Problem(string? Title);
}

public sealed record SandboxResult(SandboxConsent? Consent, string? Error);

public sealed record SandboxCustomer(string CustomerId, string Name);

public sealed record SandboxAuthentication(SandboxCustomer? Customer, bool CustomerExists)
{
    public static readonly SandboxAuthentication UnknownCustomer = new(null, CustomerExists: false);
    public static readonly SandboxAuthentication WrongPassword = new(null, CustomerExists: true);
}

public sealed record SandboxAccount(
    string AccountId, string Name, string Description, string? Nickname, string AccountType, string AccountSubType,
    string Currency, string SchemeName, string MaskedIdentification, string Balance);

public sealed record SandboxConsent(
    string ConsentId, string Kind, string ClientId, string OrganisationId, string Status, IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpirationDateTime, DateTimeOffset? TransactionFromDateTime, DateTimeOffset? TransactionToDateTime,
    DateTimeOffset CreationDateTime, string? CustomerId, IReadOnlyList<string> AccountIds, DateTimeOffset? AccessRevokedAt,
    string? Currency = null, SandboxPayment? Payment = null, DateTimeOffset? LastUsedAt = null, IReadOnlyList<string>? Terms = null)
{
    public const string AwaitingAuthorisation = "AwaitingAuthorisation";
    public const string Authorised = "Authorised";
    public const string AccountAccess = "account-access";
    public const string DomesticPayment = "domestic-payment";
    public const string FundsConfirmation = "funds-confirmation";

    /// <summary>A payment (of any kind) or a funds check is authorised from exactly one account; account access from any number.</summary>
    public bool SingleAccount => Consents.ConsentKindText.Of(this) is { } kind
        && (Consents.ConsentKindText.IsPayment(kind) || kind == Consents.CustomerConsentKind.FundsConfirmation);
}

/// <summary>A consent with whether it still grants something and every change of its status (the Sandbox's consent history).</summary>
public sealed record SandboxConsentRecord(
    SandboxConsent Consent, bool Current, DateTimeOffset StatusUpdateDateTime, DateTimeOffset? DeletedAt, IReadOnlyList<SandboxStatusChange> History);

/// <summary>One change of a consent: its status after it (or Deleted, AccessRevoked, Expired), who made it (tpp, customer, bank, clock), in words.</summary>
public sealed record SandboxStatusChange(string Status, string Actor, string? Detail, DateTimeOffset At);

/// <summary>
/// What a payment consent pays: shown to the customer before they approve. For a standing order, the first payment;
/// the schedule and limits of the recurring kinds are in <see cref="SandboxConsent.Terms"/>.
/// </summary>
public sealed record SandboxPayment(
    string Amount, string Currency, string CreditorName, string CreditorSchemeName, string CreditorIdentification, string? Reference, bool DebtorAccountNamed,
    SandboxPayeeCheck? PayeeCheck = null);

/// <summary>
/// Confirmation of Payee's answer for a payment's payee (docs/confirmation-of-payee.md): Outcome is Match, CloseMatch,
/// NoMatch, AccountNotFound or NotChecked; ReasonCode is Pay.UK's (absent on a match); Name is the name on the account,
/// for a close match only.
/// </summary>
public sealed record SandboxPayeeCheck(string Outcome, bool Matched, string? ReasonCode, string? Name);
