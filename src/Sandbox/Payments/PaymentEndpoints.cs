using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// What the payment endpoints of every API version do alike, in the domain's terms: who may call, reading the body,
/// finding a consent or payment (with the cross-version rule of <see cref="PaymentVersions"/>), the funds check of a
/// consent. Each version's edge (V3_1, V4_0) only maps its wire shapes around these.
/// </summary>
public static class PaymentEndpoints
{
    public static CallerContext RequireClientCredentials(HttpContext httpContext)
    {
        var caller = CallerContext.From(httpContext.User);
        return caller.IsClientCredentials
            ? caller
            : throw ObieException.Forbidden("This endpoint takes a client-credentials token, not a customer token.");
    }

    /// <summary>The body's SHA-256 (for idempotency) and the parsed document.</summary>
    public static async Task<(string Hash, JsonDocument Body)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        try
        {
            return (Idempotency.Hash(bytes), JsonDocument.Parse(bytes));
        }
        catch (JsonException)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body is not valid JSON."));
        }
    }

    /// <summary>This client's consent, created through <paramref name="version"/>.</summary>
    public static async Task<DomesticPaymentConsent> FindConsentAsync(
        SandboxDbContext db, string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await db.DomesticPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, ct)
            ?? throw ObieException.NotFound("domestic-payment consent", consentId);
        return consent.ClientId == caller.ClientId
            ? PaymentVersions.Readable(consent, version)
            : throw ObieException.Forbidden("The consent belongs to another client.");
    }

    /// <summary>This client's payment, made through <paramref name="version"/>.</summary>
    public static async Task<DomesticPayment> FindPaymentAsync(
        SandboxDbContext db, string paymentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        // Only immediate domestic payments are domestic-payments resources (a VRP payment is a domestic-vrp).
        var payment = await db.DomesticPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && p.Kind == PaymentKind.Domestic, ct)
            ?? throw ObieException.NotFound("domestic payment", paymentId);
        return payment.ClientId == caller.ClientId
            ? PaymentVersions.Readable(payment, version)
            : throw ObieException.Forbidden("The payment belongs to another client.");
    }

    public static async Task<Account?> DebtorAsync(SandboxDbContext db, string? accountId, CancellationToken ct)
        => accountId is null ? null : await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, ct);

    /// <summary>The consent a payment was made under and the payer's account (a payment's response shows both).</summary>
    public static async Task<(DomesticPaymentConsent Consent, Account Debtor)> PartiesAsync(SandboxDbContext db, DomesticPayment payment, CancellationToken ct)
    {
        var consent = await db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == payment.ConsentId, ct);
        var debtor = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, ct);
        return (consent, debtor);
    }

    /// <summary>The payment's status history, oldest first.</summary>
    public static Task<List<PaymentStatusChange>> HistoryAsync(SandboxDbContext db, string paymentId, CancellationToken ct)
        => db.PaymentStatusChanges.AsNoTracking().Where(c => c.PaymentId == paymentId).OrderBy(c => c.Id).ToListAsync(ct);

    /// <summary>The LocalInstrument of the consent's Initiation, if it names one (the same field in every version).</summary>
    public static async Task<string?> LocalInstrumentAsync(SandboxDbContext db, string consentId, CancellationToken ct)
    {
        var json = await db.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => c.InitiationJson).SingleAsync(ct);
        using var initiation = JsonDocument.Parse(json);
        return initiation.RootElement.TryGetProperty("LocalInstrument", out var instrument) ? instrument.GetString() : null;
    }

    /// <summary>
    /// Whether the payer's account can cover the consented payment now: asked with the customer's token bound to this
    /// consent, while it is Authorised (<paramref name="statusName"/> names its status as the version does).
    /// </summary>
    public static async Task<(DomesticPaymentConsent Consent, bool Available)> ConsentFundsAsync(
        HttpContext httpContext, SandboxDbContext db, string consentId, ApiVersion version, Func<PaymentConsentStatus, string> statusName, CancellationToken ct)
    {
        var caller = CallerContext.From(httpContext.User);
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Funds confirmation of a payment consent needs the customer's token.");
        }

        if (caller.ConsentId != consentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        var consent = await FindConsentAsync(db, consentId, caller, version, ct);
        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus,
                $"The consent is {statusName(consent.Status)}; funds are confirmed only while it is {statusName(PaymentConsentStatus.Authorised)}."));
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.DebtorAccountId, ct);
        var available = Scenarios.Match(consent.AmountMinor, consent.CreditorName) != Scenario.InsufficientFunds
            && Overdraft.Allows(account.BookedBalanceMinor, account.CreditLimitMinor, consent.AmountMinor);
        return (consent, available);
    }
}
