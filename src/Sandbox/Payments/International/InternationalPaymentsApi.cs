using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Vrp;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>
/// International payments (payment-initiation-openapi.yaml) at <c>/open-banking/v3.1/pisp</c> and
/// <c>/open-banking/v4.0/pisp</c>: one set of endpoints over <see cref="InternationalService"/>, each version's names
/// from its <see cref="IInternationalWire"/>. Consents are created and read with a client-credentials token; funds
/// confirmation and the payment take the customer's token bound to the consent; payments are read with a
/// client-credentials token.
/// </summary>
public static class InternationalPaymentsApi
{
    public static IEndpointRouteBuilder MapInternationalPayments(this IEndpointRouteBuilder app)
    {
        Map(app, V3_1.InternationalWire.Instance);
        Map(app, V4_0.InternationalWire.Instance);
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, IInternationalWire wire)
    {
        var suffix = wire.Version == ApiVersion.V4_0 ? "V4" : string.Empty;
        var group = app.MapGroup(wire.Version.BasePath() + "/pisp")
            .WithTags("International Payments")
            .RequireAuthorization(PlatformScopes.Payments)
            .WithObieContentNegotiation()
            .WithMessageSigning();
        group.MapPost("/international-payment-consents", (HttpContext h, [AsParameters] InternationalServices s) => CreateConsentAsync(h, s, wire))
            .WithName("CreateInternationalPaymentConsents" + suffix)
            .WithSummary("Create an international payment consent with its exchange rate quote and charges; idempotent by x-idempotency-key");
        group.MapGet("/international-payment-consents/{consentId}", (string consentId, HttpContext h, [AsParameters] InternationalServices s) => GetConsentAsync(consentId, h, s, wire))
            .WithName("GetInternationalPaymentConsentsConsentId" + suffix).WithSummary("Read an international payment consent");
        group.MapGet("/international-payment-consents/{consentId}/funds-confirmation",
                (string consentId, HttpContext h, [AsParameters] InternationalServices s) => FundsAsync(consentId, h, s, wire))
            .WithName("GetInternationalPaymentConsentsConsentIdFundsConfirmation" + suffix)
            .WithSummary("Whether the payer's account covers the whole debit now (customer token)");
        group.MapPost("/international-payments", (HttpContext h, [AsParameters] InternationalServices s) => CreatePaymentAsync(h, s, wire))
            .WithName("CreateInternationalPayments" + suffix)
            .WithSummary("Submit the payment of an authorised international consent (customer token); idempotent by x-idempotency-key");
        group.MapGet("/international-payments/{paymentId}", (string paymentId, HttpContext h, [AsParameters] InternationalServices s) => GetPaymentAsync(paymentId, h, s, wire))
            .WithName("GetInternationalPaymentsInternationalPaymentId" + suffix).WithSummary("Read an international payment's status, rate and charges");
        group.MapGet("/international-payments/{paymentId}/payment-details",
                (string paymentId, HttpContext h, [AsParameters] InternationalServices s) => GetDetailsAsync(paymentId, h, s, wire))
            .WithName("GetInternationalPaymentsInternationalPaymentIdPaymentDetails" + suffix).WithSummary("An international payment's status history");
    }

    public static async Task<IResult> CreateConsentAsync(HttpContext httpContext, InternationalServices services, IInternationalWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var request = InternationalRequests.ParseConsent(body.RootElement, wire, services.Pricer.Desk);
            var consent = await services.International.CreateConsentAsync(caller, wire, key, hash, request, services.CancellationToken);
            var self = services.Link(wire, $"/international-payment-consents/{consent.Id}");
            httpContext.Response.Headers.Location = self;
            return Json(await ConsentResponseAsync(consent, services, wire, self), StatusCodes.Status201Created);
        }
    }

    public static async Task<IResult> GetConsentAsync(string consentId, HttpContext httpContext, InternationalServices services, IInternationalWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var consent = await services.International.FindConsentAsync(consentId, caller, wire.Version, services.CancellationToken);
        return Json(await ConsentResponseAsync(consent, services, wire, services.Link(wire, $"/international-payment-consents/{consent.Id}")), StatusCodes.Status200OK);
    }

    public static async Task<IResult> FundsAsync(string consentId, HttpContext httpContext, InternationalServices services, IInternationalWire wire)
    {
        var (consent, available) = await services.International.FundsAsync(CallerContext.From(httpContext.User), consentId, wire, services.CancellationToken);
        // OBWriteFundsConfirmationResponse1, the same in both versions: an answer, never a balance.
        return Json(new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["FundsAvailableResult"] = new JsonObject
                {
                    ["FundsAvailableDateTime"] = VrpJson.Time(services.Clock.GetUtcNow()),
                    ["FundsAvailable"] = available,
                },
            },
            ["Links"] = new JsonObject { ["Self"] = services.Link(wire, $"/international-payment-consents/{consent.Id}/funds-confirmation") },
            ["Meta"] = new JsonObject(),
        }, StatusCodes.Status200OK);
    }

    public static async Task<IResult> CreatePaymentAsync(HttpContext httpContext, InternationalServices services, IInternationalWire wire)
    {
        var caller = CallerContext.From(httpContext.User);
        var key = Idempotency.RequireKey(httpContext.Request);
        var (hash, body) = await PaymentEndpoints.ReadBodyAsync(httpContext.Request, services.CancellationToken);
        using (body)
        {
            var instruction = InternationalRequests.ParsePayment(body.RootElement, wire);
            var payment = await services.International.SubmitAsync(caller, wire, key, hash, instruction, services.CancellationToken);
            var parts = await services.International.PartsAsync(payment, services.CancellationToken);
            var self = services.Link(wire, $"/international-payments/{payment.Id}");
            httpContext.Response.Headers.Location = self;
            return Json(PaymentResponse(parts, services, wire, self), StatusCodes.Status201Created);
        }
    }

    public static async Task<IResult> GetPaymentAsync(string paymentId, HttpContext httpContext, InternationalServices services, IInternationalWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var parts = await services.International.FindPaymentAsync(paymentId, caller, wire.Version, services.CancellationToken);
        return Json(PaymentResponse(parts, services, wire, services.Link(wire, $"/international-payments/{paymentId}")), StatusCodes.Status200OK);
    }

    public static async Task<IResult> GetDetailsAsync(string paymentId, HttpContext httpContext, InternationalServices services, IInternationalWire wire)
    {
        var caller = PaymentEndpoints.RequireClientCredentials(httpContext);
        var parts = await services.International.FindPaymentAsync(paymentId, caller, wire.Version, services.CancellationToken);
        var history = await PaymentEndpoints.HistoryAsync(services.Db, parts.Payment.Id, services.CancellationToken);
        return Json(new JsonObject
        {
            ["Data"] = wire.Details(parts.Payment, history, parts.Consent.LocalInstrument),
            ["Links"] = new JsonObject { ["Self"] = services.Link(wire, $"/international-payments/{paymentId}/payment-details") },
            ["Meta"] = new JsonObject(),
        }, StatusCodes.Status200OK);
    }

    private static async Task<JsonObject> ConsentResponseAsync(InternationalPaymentConsent consent, InternationalServices services, IInternationalWire wire, string self)
    {
        var now = services.Clock.GetUtcNow();
        var debtor = await PaymentEndpoints.DebtorAsync(services.Db, consent.DebtorAccountId, services.CancellationToken);
        var debitCurrency = debtor?.Currency ?? consent.DebtorCurrency;
        var data = new JsonObject();
        if (consent.ReadRefundAccount is not null)
        {
            data["ReadRefundAccount"] = consent.ReadRefundAccount;
        }

        data["ConsentId"] = consent.Id;
        data["CreationDateTime"] = VrpJson.Time(consent.CreationDateTime);
        data["Status"] = wire.ConsentStatus(consent.Status);
        data["StatusUpdateDateTime"] = VrpJson.Time(consent.StatusUpdateDateTime);
        if (consent.QuoteExpiresAt is { } expires)
        {
            // The Actual quote's end is the consent's cut-off: a payment after it is refused (UK.OBIE.Rules.AfterCutOffDateTime).
            data["CutOffDateTime"] = VrpJson.Time(expires);
        }

        if (consent.Status is PaymentConsentStatus.AwaitingAuthorisation or PaymentConsentStatus.Authorised)
        {
            data["ExpectedExecutionDateTime"] = VrpJson.Time(now);
        }

        if (debitCurrency is not null && consent.Status is PaymentConsentStatus.AwaitingAuthorisation or PaymentConsentStatus.Authorised)
        {
            var (price, rate) = await services.Pricer.PriceAsync(consent, debitCurrency, now, services.CancellationToken);
            if (price.Charges.Count > 0)
            {
                data["Charges"] = Charges(price.Charges);
            }

            if (rate is not null)
            {
                data["ExchangeRateInformation"] = ExchangeRate(consent, debitCurrency, rate.Rate);
            }
        }
        else if (consent.ChargesJson is not null && consent.Status == PaymentConsentStatus.Consumed)
        {
            // Consumed: what was quoted (the payment's own response has what was applied).
            if (InternationalPricing.Charges(consent.ChargesJson) is { Count: > 0 } charges)
            {
                data["Charges"] = Charges(charges);
            }

            if (consent is { DebtorCurrency: { } currency, QuotedRate: { } quoted })
            {
                data["ExchangeRateInformation"] = ExchangeRate(consent, currency, quoted);
            }
        }

        data["Initiation"] = VrpJson.Parse(consent.InitiationJson);
        if (consent.AuthorisationJson is not null)
        {
            data["Authorisation"] = VrpJson.Parse(consent.AuthorisationJson);
        }

        if (consent.ScaSupportDataJson is not null)
        {
            data["SCASupportData"] = VrpJson.Parse(consent.ScaSupportDataJson);
        }

        if (debtor is not null)
        {
            data["Debtor"] = Account(debtor);
        }

        return new JsonObject
        {
            ["Data"] = data,
            ["Risk"] = VrpJson.Parse(consent.RiskJson),
            ["Links"] = new JsonObject { ["Self"] = self },
            ["Meta"] = new JsonObject(),
        };
    }

    private static JsonObject PaymentResponse(InternationalParts parts, InternationalServices services, IInternationalWire wire, string self)
    {
        var (payment, transfer, consent, debtor) = parts;
        var data = new JsonObject
        {
            ["InternationalPaymentId"] = payment.Id,
            ["ConsentId"] = payment.ConsentId,
            ["CreationDateTime"] = VrpJson.Time(payment.CreationDateTime),
            ["Status"] = wire.PaymentStatus(payment.Status),
        };
        wire.AddStatusReason(data, payment);
        data["StatusUpdateDateTime"] = VrpJson.Time(payment.StatusUpdateDateTime);
        data["ExpectedExecutionDateTime"] = VrpJson.Time(payment.CreationDateTime);
        data["ExpectedSettlementDateTime"] = VrpJson.Time(payment.CreationDateTime + services.Options.Value.AcceptAfter + services.Options.Value.SettleAfter);
        if (consent.ReadRefundAccount == "Yes")
        {
            data["Refund"] = new JsonObject { ["Account"] = Account(debtor) };
        }

        if (InternationalPricing.Charges(transfer.ChargesJson) is { Count: > 0 } charges)
        {
            data["Charges"] = Charges(charges);
        }

        if (transfer.ExchangeRate is { } rate)
        {
            data["ExchangeRateInformation"] = ExchangeRate(consent, transfer.DebitCurrency, rate);
        }

        data["Initiation"] = VrpJson.Parse(consent.InitiationJson);
        data["Debtor"] = Account(debtor);
        return new JsonObject
        {
            ["Data"] = data,
            ["Links"] = new JsonObject { ["Self"] = self },
            ["Meta"] = new JsonObject(),
        };
    }

    /// <summary>ExchangeRateInformation of a response: the rate a number (6 dp); an Actual quote's expiry; Indicative when the partner asked for none.</summary>
    private static JsonObject ExchangeRate(InternationalPaymentConsent consent, string unitCurrency, decimal rate)
    {
        var eri = new JsonObject
        {
            ["UnitCurrency"] = unitCurrency,
            ["ExchangeRate"] = InternationalRequests.Rate(rate),
            ["RateType"] = consent.RateType ?? "Indicative",
        };
        if (consent.ContractId is not null)
        {
            eri["ContractIdentification"] = consent.ContractId;
        }

        if (consent.QuoteExpiresAt is { } expires)
        {
            eri["ExpirationDateTime"] = VrpJson.Time(expires);
        }

        return eri;
    }

    private static JsonArray Charges(IReadOnlyList<InternationalCharge> charges)
        => new([.. charges.Select(c => (JsonNode)new JsonObject
        {
            ["ChargeBearer"] = c.ChargeBearer,
            ["Type"] = c.Type,
            ["Amount"] = new JsonObject { ["Amount"] = Money.Format(c.AmountMinor, c.Currency), ["Currency"] = c.Currency },
        })]);

    private static JsonObject Account(Account account)
        => new() { ["SchemeName"] = account.SchemeName, ["Identification"] = account.Identification, ["Name"] = account.Name };

    private static IResult Json(JsonObject body, int status)
        => TypedResults.Text(body.ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, status);
}

/// <summary>What the international payment endpoints need besides the request.</summary>
public sealed record InternationalServices(
    SandboxDbContext Db,
    InternationalService International,
    InternationalPricer Pricer,
    TenantClock Clock,
    IOptions<OpenBankingOptions> OpenBanking,
    IOptions<PaymentOptions> Options,
    CancellationToken CancellationToken)
{
    public string Link(IInternationalWire wire, string path) => $"{OpenBanking.Value.PublicBaseUrl.TrimEnd('/')}{wire.Version.BasePath()}/pisp{path}";
}
