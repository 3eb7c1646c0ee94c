using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>
/// Domestic VRP (vrp-openapi.yaml) at <c>/open-banking/v3.1/pisp</c> and <c>/open-banking/v4.0/pisp</c>, one set of
/// endpoints over <see cref="VrpService"/>, each version's names from its <see cref="IVrpWire"/>. Consents are created,
/// read and deleted with a client-credentials token; funds confirmation and payments take the customer's token bound
/// to the consent. v4.0's PUT and PATCH of a consent (meant for migrating a consent between versions) are refused:
/// this bank keeps a consent in the version that created it (<see cref="ApiVersions.MayUse"/>).
/// </summary>
public static class VrpApi
{
    public static IEndpointRouteBuilder MapVrpApi(this IEndpointRouteBuilder app)
    {
        Map(app, V3_1.VrpWire.Instance);
        var v4 = Map(app, V4_0.VrpWire.Instance);
        v4.MapPut("/domestic-vrp-consents/{consentId}", RefuseUpdate).WithName("PutDomesticVrpConsentsV4");
        v4.MapPatch("/domestic-vrp-consents/{consentId}", RefuseUpdate).WithName("PatchDomesticVrpConsentsV4");
        return app;
    }

    private static RouteGroupBuilder Map(IEndpointRouteBuilder app, IVrpWire wire)
    {
        var suffix = wire.Version == ApiVersion.V4_0 ? "V4" : string.Empty;
        var group = app.MapGroup(wire.Version.BasePath() + "/pisp")
            .WithTags("Domestic VRP")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();
        group.MapPost("/domestic-vrp-consents", (HttpContext h, [AsParameters] VrpServices s) => CreateConsentAsync(h, s, wire))
            .WithName("CreateDomesticVrpConsents" + suffix).WithSummary("Create a domestic VRP consent (AwaitingAuthorisation); idempotent by x-idempotency-key");
        group.MapGet("/domestic-vrp-consents/{consentId}", (string consentId, HttpContext h, [AsParameters] VrpServices s) => GetConsentAsync(consentId, h, s, wire))
            .WithName("GetDomesticVrpConsents" + suffix).WithSummary("Read a domestic VRP consent");
        group.MapDelete("/domestic-vrp-consents/{consentId}", (string consentId, HttpContext h, [AsParameters] VrpServices s) => DeleteConsentAsync(consentId, h, s, wire))
            .WithName("DeleteDomesticVrpConsents" + suffix).WithSummary("Revoke a domestic VRP consent (no more payments under it)");
        group.MapPost("/domestic-vrp-consents/{consentId}/funds-confirmation", (string consentId, HttpContext h, [AsParameters] VrpServices s) => FundsAsync(consentId, h, s, wire))
            .WithName("ConfirmDomesticVrpFunds" + suffix).WithSummary("Whether the payer's account can cover an amount now (customer token)");
        group.MapPost("/domestic-vrps", (HttpContext h, [AsParameters] VrpServices s) => CreatePaymentAsync(h, s, wire))
            .WithName("CreateDomesticVrps" + suffix).WithSummary("Make a payment under an authorised VRP consent (customer token); idempotent by x-idempotency-key");
        group.MapGet("/domestic-vrps/{paymentId}", (string paymentId, HttpContext h, [AsParameters] VrpServices s) => GetPaymentAsync(paymentId, h, s, wire))
            .WithName("GetDomesticVrps" + suffix).WithSummary("Read a domestic VRP");
        group.MapGet("/domestic-vrps/{paymentId}/payment-details", (string paymentId, HttpContext h, [AsParameters] VrpServices s) => GetDetailsAsync(paymentId, h, s, wire))
            .WithName("GetDomesticVrpsPaymentDetails" + suffix).WithSummary("A domestic VRP's status history");
        return group;
    }

    public static async Task<IResult> CreateConsentAsync(HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = VrpRequests.ParseConsent(body.RootElement, wire, services.Clock.GetUtcNow());
            var consent = await services.Vrp.CreateConsentAsync(caller, wire, key, hash, request, services.CancellationToken);
            var self = services.Link(wire, $"/domestic-vrp-consents/{consent.Id}");
            httpContext.Response.Headers.Location = self;
            return Json(ConsentResponse(consent, null, wire, self), StatusCodes.Status201Created);
        }
    }

    public static async Task<IResult> GetConsentAsync(string consentId, HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await services.Vrp.FindConsentAsync(consentId, caller, wire.Version, tracking: false, services.CancellationToken);
        var debtor = await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken);
        return Json(ConsentResponse(consent, debtor, wire, services.Link(wire, $"/domestic-vrp-consents/{consent.Id}")), StatusCodes.Status200OK);
    }

    public static async Task<IResult> DeleteConsentAsync(string consentId, HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        await services.Vrp.DeleteConsentAsync(consentId, caller, wire.Version, services.CancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> FundsAsync(string consentId, HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = CallerContext.From(httpContext.User);
        var (_, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var (reference, minor, amount, currency) = VrpRequests.ParseFunds(body.RootElement, consentId);
            var (consent, available) = await services.Vrp.FundsAsync(caller, consentId, wire.Version, minor, currency, services.CancellationToken);
            var now = VrpJson.Time(services.Clock.GetUtcNow());
            var data = new JsonObject
            {
                // An answer, not a resource: nothing is stored, so its id only names this response.
                ["FundsConfirmationId"] = "vfc-" + Guid.CreateVersion7().ToString("N"),
                ["ConsentId"] = consent.Id,
                ["CreationDateTime"] = now,
            };
            if (reference is not null)
            {
                data["Reference"] = reference;
            }

            data["FundsAvailableResult"] = new JsonObject { ["FundsAvailableDateTime"] = now, ["FundsAvailable"] = available ? "Available" : "NotAvailable" };
            data["InstructedAmount"] = new JsonObject { ["Amount"] = amount, ["Currency"] = currency };
            return Json(new JsonObject
            {
                ["Data"] = data,
                ["Links"] = new JsonObject { ["Self"] = services.Link(wire, $"/domestic-vrp-consents/{consent.Id}/funds-confirmation") },
                ["Meta"] = new JsonObject(),
            }, wire.FundsConfirmationStatusCode);
        }
    }

    public static async Task<IResult> CreatePaymentAsync(HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = VrpRequests.ParsePayment(body.RootElement, wire);
            var submitted = await services.Vrp.SubmitAsync(caller, wire, key, hash, request, services.CancellationToken);
            var parts = submitted is { Consent: { } consent, Debtor: { } debtor }
                ? (submitted.Payment, new DomesticVrpInstruction
                {
                    PaymentId = submitted.Payment.Id, ConsentId = consent.Id, InstructionJson = request.Instruction.GetRawText(),
                    PsuAuthenticationMethod = request.PsuAuthenticationMethod, VrpType = request.VrpType,
                }, consent, debtor)
                : await services.Vrp.PartsAsync(submitted.Payment, services.CancellationToken);
            var self = services.Link(wire, $"/domestic-vrps/{submitted.Payment.Id}");
            httpContext.Response.Headers.Location = self;
            return Json(PaymentResponse(parts, wire, self), StatusCodes.Status201Created);
        }
    }

    public static async Task<IResult> GetPaymentAsync(string paymentId, HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var parts = await services.Vrp.FindPaymentAsync(paymentId, caller, wire.Version, services.CancellationToken);
        return Json(PaymentResponse(parts, wire, services.Link(wire, $"/domestic-vrps/{paymentId}")), StatusCodes.Status200OK);
    }

    public static async Task<IResult> GetDetailsAsync(string paymentId, HttpContext httpContext, VrpServices services, IVrpWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var (payment, instruction, _, _) = await services.Vrp.FindPaymentAsync(paymentId, caller, wire.Version, services.CancellationToken);
        var history = await PaymentEndpoints.HistoryAsync(services.Db, payment.Id, services.CancellationToken);
        return Json(new JsonObject
        {
            ["Data"] = wire.Details(payment, history, instruction.LocalInstrument),
            ["Links"] = new JsonObject { ["Self"] = services.Link(wire, $"/domestic-vrps/{paymentId}/payment-details") },
            ["Meta"] = new JsonObject(),
        }, StatusCodes.Status200OK);
    }

    /// <summary>v4.0's PUT/PATCH are for moving a consent from an older version; consents here stay in their version.</summary>
    public static IResult RefuseUpdate(string consentId) => throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid,
        $"This bank does not migrate consents between versions: a VRP consent stays in the version that created it. Create a v4.0 consent instead of updating '{consentId}'."));

    private static JsonObject ConsentResponse(DomesticVrpConsent consent, Account? debtor, IVrpWire wire, string self)
    {
        var data = new JsonObject();
        if (consent.ReadRefundAccount is not null)
        {
            data["ReadRefundAccount"] = consent.ReadRefundAccount;
        }

        data["ConsentId"] = consent.Id;
        data["CreationDateTime"] = VrpJson.Time(consent.CreationDateTime);
        data["Status"] = wire.ConsentStatus(consent.Status);
        data["StatusUpdateDateTime"] = VrpJson.Time(consent.StatusUpdateDateTime);
        data["ControlParameters"] = VrpJson.Parse(consent.ControlParametersJson);
        data["Initiation"] = VrpJson.Parse(consent.InitiationJson);
        if (debtor is not null)
        {
            data["DebtorAccount"] = Account(debtor);
        }

        return new JsonObject
        {
            ["Data"] = data,
            ["Risk"] = VrpJson.Parse(consent.RiskJson),
            ["Links"] = new JsonObject { ["Self"] = self },
            ["Meta"] = new JsonObject(),
        };
    }

    private static JsonObject PaymentResponse(
        (DomesticPayment Payment, DomesticVrpInstruction Instruction, DomesticVrpConsent Consent, Account Debtor) parts, IVrpWire wire, string self)
    {
        var (payment, instruction, consent, debtor) = parts;
        var data = new JsonObject
        {
            ["DomesticVRPId"] = payment.Id,
            ["ConsentId"] = payment.ConsentId,
            ["CreationDateTime"] = VrpJson.Time(payment.CreationDateTime),
            ["Status"] = wire.PaymentStatus(payment.Status),
        };
        wire.AddStatusReason(data, payment);
        data["StatusUpdateDateTime"] = VrpJson.Time(payment.StatusUpdateDateTime);
        if (consent.ReadRefundAccount == "Yes")
        {
            data["Refund"] = Account(debtor);
        }

        data["Initiation"] = VrpJson.Parse(consent.InitiationJson);
        data["Instruction"] = VrpJson.Parse(instruction.InstructionJson);
        data["DebtorAccount"] = Account(debtor);
        return new JsonObject
        {
            ["Data"] = data,
            ["Risk"] = VrpJson.Parse(consent.RiskJson),
            ["Links"] = new JsonObject { ["Self"] = self },
            ["Meta"] = new JsonObject(),
        };
    }

    private static JsonObject Account(Account account)
        => new() { ["SchemeName"] = account.SchemeName, ["Identification"] = account.Identification, ["Name"] = account.Name };

    private static IResult Json(JsonObject body, int status)
        => TypedResults.Text(body.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, status);
}

/// <summary>What the VRP endpoints need besides the request.</summary>
public sealed record VrpServices(
    SandboxDbContext Db,
    VrpService Vrp,
    TenantClock Clock,
    IOptions<OpenBankingOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(IVrpWire wire, string path) => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{wire.Version.BasePath()}/pisp{path}";
}
