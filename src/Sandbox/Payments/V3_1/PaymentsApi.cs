using OpenBanking.Sandbox.Domain;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.V3_1;

/// <summary>
/// Domestic payments of the Payment Initiation API v3.1.11 (<c>/pisp</c>): consents created and read by the app
/// with a client-credentials token and authorised by the customer through Identity; the payment submitted with the
/// customer's token bound to the consent; status and details read with a client-credentials token.
/// </summary>
public static class PaymentsApi
{
    public const string BasePath = ObieApi.BasePath + "/pisp";

    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath)
            .WithTags("Domestic Payments")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation();

        group.MapPost("/domestic-payment-consents", CreateConsentAsync).WithName("CreateDomesticPaymentConsents")
            .WithSummary("Create a domestic payment consent (AwaitingAuthorisation); idempotent by x-idempotency-key");
        group.MapGet("/domestic-payment-consents/{consentId}", GetConsentAsync).WithName("GetDomesticPaymentConsentsConsentId")
            .WithSummary("Read a domestic payment consent");
        group.MapGet("/domestic-payment-consents/{consentId}/funds-confirmation", GetConsentFundsAsync)
            .WithName("GetDomesticPaymentConsentsConsentIdFundsConfirmation")
            .WithSummary("Whether the payer's account can cover the consented payment now (customer token)");
        group.MapPost("/domestic-payments", CreatePaymentAsync).WithName("CreateDomesticPayments")
            .WithSummary("Submit the payment of an authorised consent (customer token); idempotent by x-idempotency-key");
        group.MapGet("/domestic-payments/{paymentId}", GetPaymentAsync).WithName("GetDomesticPaymentsDomesticPaymentId")
            .WithSummary("Read a domestic payment's status");
        group.MapGet("/domestic-payments/{paymentId}/payment-details", GetPaymentDetailsAsync)
            .WithName("GetDomesticPaymentsDomesticPaymentIdPaymentDetails")
            .WithSummary("A domestic payment's status history, with its risk screening");
        return group;
    }

    public static async Task<Created<PaymentConsentResponse>> CreateConsentAsync(HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = DomesticConsentRequest.Parse(body.RootElement);
            var consent = await services.Payments.CreateConsentAsync(caller, key, hash, request.ToConsent(caller.ClientId), services.CancellationToken);
            var response = PaymentConsentResponse.From(consent, await DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
                services.Link($"/domestic-payment-consents/{consent.Id}"));
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<PaymentConsentResponse>> GetConsentAsync(string consentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = RequireClientCredentials(httpContext);
        var consent = await FindConsentAsync(services.Db, consentId, caller, services.CancellationToken);
        return TypedResults.Ok(PaymentConsentResponse.From(consent, await DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken),
            services.Link($"/domestic-payment-consents/{consent.Id}")));
    }

    public static async Task<Ok<ConsentFundsResponse>> GetConsentFundsAsync(string consentId, HttpContext httpContext, [AsParameters] PaymentServices services)
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

        var consent = await FindConsentAsync(services.Db, consentId, caller, services.CancellationToken);
        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus, $"The consent is {consent.Status}; funds are confirmed only while it is Authorised."));
        }

        var account = await services.Db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.DebtorAccountId, services.CancellationToken);
        var available = Scenarios.Match(consent.AmountMinor, consent.CreditorName) != Scenario.InsufficientFunds
            && Overdraft.Allows(account.BookedBalanceMinor, account.CreditLimitMinor, consent.AmountMinor);
        return TypedResults.Ok(new ConsentFundsResponse(
            new ConsentFundsData(new FundsAvailableResult(Timestamps.WholeSeconds(services.Clock.GetUtcNow()), available)),
            new Links(services.Link($"/domestic-payment-consents/{consent.Id}/funds-confirmation")), new Meta()));
    }

    public static async Task<Created<PaymentResponse>> CreatePaymentAsync(HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = DomesticPaymentRequest.Parse(body.RootElement);
            var (payment, consent, debtor) = await services.Payments.SubmitAsync(caller, key, hash, request.ToInstruction(), services.CancellationToken);
            var response = consent is not null && debtor is not null
                ? PaymentResponse.From(payment, consent, debtor, services.Link($"/domestic-payments/{payment.Id}"))
                : await PaymentResponseAsync(services, payment);
            return TypedResults.Created(response.Links.Self, response);
        }
    }

    public static async Task<Ok<PaymentResponse>> GetPaymentAsync(string paymentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = RequireClientCredentials(httpContext);
        var payment = await FindPaymentAsync(services.Db, paymentId, caller, services.CancellationToken);
        return TypedResults.Ok(await PaymentResponseAsync(services, payment));
    }

    public static async Task<Ok<PaymentDetailsResponse>> GetPaymentDetailsAsync(string paymentId, HttpContext httpContext, [AsParameters] PaymentServices services)
    {
        var caller = RequireClientCredentials(httpContext);
        var payment = await FindPaymentAsync(services.Db, paymentId, caller, services.CancellationToken);
        var changes = await services.Db.PaymentStatusChanges.AsNoTracking().Where(c => c.PaymentId == payment.Id).OrderBy(c => c.Id).ToListAsync(services.CancellationToken);
        var instrument = await LocalInstrumentAsync(services.Db, payment.ConsentId, services.CancellationToken);
        var entries = changes.Select(c => new PaymentStatusEntry(payment.Id, c.Status, PaymentResponse.Utc(c.At), new PaymentStatusDetail(
            instrument, c.Status.ToString(),
            c.Status switch
            {
                PaymentStatus.Rejected => "ProprietaryRejection",
                PaymentStatus.Pending when payment.StatusReason == PaymentStatusReasons.HeldForReview => "Suspended",
                PaymentStatus.Pending or PaymentStatus.AcceptedSettlementInProcess => "PendingSettlement",
                _ => null,
            },
            c.Detail))).ToList();
        return TypedResults.Ok(new PaymentDetailsResponse(new PaymentDetailsData(entries),
            new Links(services.Link($"/domestic-payments/{payment.Id}/payment-details")), new Meta()));
    }

    private static async Task<PaymentResponse> PaymentResponseAsync(PaymentServices services, DomesticPayment payment)
    {
        var consent = await services.Db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == payment.ConsentId, services.CancellationToken);
        var debtor = await services.Db.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, services.CancellationToken);
        return PaymentResponse.From(payment, consent, debtor, services.Link($"/domestic-payments/{payment.Id}"));
    }

    private static async Task<string?> LocalInstrumentAsync(SandboxDbContext db, string consentId, CancellationToken ct)
    {
        var json = await db.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => c.InitiationJson).SingleAsync(ct);
        using var initiation = JsonDocument.Parse(json);
        return initiation.RootElement.TryGetProperty("LocalInstrument", out var instrument) ? instrument.GetString() : null;
    }

    private static async Task<Account?> DebtorAsync(SandboxDbContext db, string? accountId, CancellationToken ct)
        => accountId is null ? null : await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, ct);

    private static async Task<DomesticPaymentConsent> FindConsentAsync(SandboxDbContext db, string consentId, CallerContext caller, CancellationToken ct)
    {
        var consent = await db.DomesticPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, ct)
            ?? throw ObieException.NotFound("domestic-payment consent", consentId);
        return consent.ClientId == caller.ClientId ? consent : throw ObieException.Forbidden("The consent belongs to another client.");
    }

    private static async Task<DomesticPayment> FindPaymentAsync(SandboxDbContext db, string paymentId, CallerContext caller, CancellationToken ct)
    {
        var payment = await db.DomesticPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId, ct)
            ?? throw ObieException.NotFound("domestic payment", paymentId);
        return payment.ClientId == caller.ClientId ? payment : throw ObieException.Forbidden("The payment belongs to another client.");
    }

    internal static CallerContext RequireClientCredentials(HttpContext httpContext)
    {
        var caller = CallerContext.From(httpContext.User);
        return caller.IsClientCredentials
            ? caller
            : throw ObieException.Forbidden("This endpoint takes a client-credentials token, not a customer token.");
    }

    /// <summary>The body's SHA-256 (for idempotency) and the parsed document.</summary>
    internal static async Task<(string Hash, JsonDocument Body)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
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
}

/// <summary>What the payment endpoints need besides the request.</summary>
public sealed record PaymentServices(
    SandboxDbContext Db,
    PaymentService Payments,
    TimeProvider Clock,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{PaymentsApi.BasePath}{path}";
}
