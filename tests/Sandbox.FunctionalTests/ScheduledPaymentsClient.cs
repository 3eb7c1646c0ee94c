using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Drives domestic scheduled payments of either version as a wallet does, and the tenant's test clock as a partner's
/// tests do (POST /sandbox/v1/clock with a client-credentials token). Each test takes an organisation of its own, so
/// its tenant's clock moves for it alone.
/// </summary>
public sealed class ScheduledPaymentsClient(SandboxFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public PaymentsClient Payments { get; } = new(factory);

    public static string NewOrganisation() => "org-sdp-" + Guid.NewGuid().ToString("N")[..12];

    public static string Pisp(ApiVersion version) => version == ApiVersion.V4_0 ? V4PaymentsClient.Pisp : PaymentsClient.Pisp;

    public static string Risk(ApiVersion version) => version == ApiVersion.V4_0 ? V4PaymentsClient.Risk : PaymentsClient.Risk;

    public static string Rfc3339(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>A domestic Initiation of the version, due at <paramref name="when"/>.</summary>
    public static string Initiation(ApiVersion version, DateTimeOffset when, string amount = "25.00", string creditorName = "Landlord Ltd")
    {
        var domestic = version == ApiVersion.V4_0
            ? V4PaymentsClient.Initiation(amount, creditorName)
            : PaymentsClient.Initiation(amount, creditorName: creditorName);
        return "{\"RequestedExecutionDateTime\":\"" + Rfc3339(when) + "\"," + domestic[1..];
    }

    public static string ConsentBody(ApiVersion version, string initiation, string? extraData = null, string permission = "\"Permission\":\"Create\",")
        => "{\"Data\":{" + permission + extraData + "\"Initiation\":" + initiation + "},\"Risk\":" + Risk(version) + "}";

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> CreateConsentAsync(
        ApiVersion version, string organisationId, string body, string? key = null)
        => Payments.PostAsync(PaymentsClient.PaymentToken(organisationId: organisationId), $"{Pisp(version)}/domestic-scheduled-payment-consents",
            body, key ?? Guid.NewGuid().ToString("N"));

    /// <summary>An authorised scheduled consent due <paramref name="after"/> from the tenant's now; its token, Initiation, payer and due time.</summary>
    public async Task<Authorised> AuthorisedAsync(
        ApiVersion version, string organisationId, TimeSpan? after = null, string amount = "25.00", string creditorName = "Landlord Ltd")
    {
        var when = (await NowAsync(organisationId)) + (after ?? TimeSpan.FromDays(3));
        var initiation = Initiation(version, when, amount, creditorName);
        var (status, text, body) = await CreateConsentAsync(version, organisationId, ConsentBody(version, initiation));
        Assert.True(status == HttpStatusCode.Created, text);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        var accountId = (await Payments.AccountAsync("alice", organisationId: organisationId)).GetProperty("AccountId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await Payments.AuthoriseAsync(consentId, "alice", accountId, organisationId));
        return new Authorised(version, organisationId, consentId, PaymentsClient.PaymentToken(organisationId: organisationId, consentId: consentId),
            initiation, accountId, when);
    }

    public Task<(HttpStatusCode Status, string Text, JsonElement Body)> SubmitAsync(Authorised consent, string? key = null, string? initiation = null)
        => Payments.PostAsync(consent.Token, $"{Pisp(consent.Version)}/domestic-scheduled-payments",
            PaymentsClient.PaymentBody(consent.ConsentId, initiation ?? consent.Initiation, Risk(consent.Version)), key ?? Guid.NewGuid().ToString("N"));

    /// <summary>An authorised consent's payment, submitted; its id.</summary>
    public async Task<(Authorised Consent, string PaymentId)> ScheduledAsync(
        ApiVersion version, string organisationId, TimeSpan? after = null, string amount = "25.00", string creditorName = "Landlord Ltd")
    {
        var consent = await AuthorisedAsync(version, organisationId, after, amount, creditorName);
        var (status, text, body) = await SubmitAsync(consent);
        Assert.True(status == HttpStatusCode.Created, text);
        return (consent, body.GetProperty("Data").GetProperty("DomesticScheduledPaymentId").GetString()!);
    }

    public async Task<JsonElement> PaymentAsync(ApiVersion version, string organisationId, string paymentId)
    {
        var (status, body) = await Payments.GetAsync($"{Pisp(version)}/domestic-scheduled-payments/{paymentId}", PaymentsClient.PaymentToken(organisationId: organisationId));
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    public async Task<DateTimeOffset> NowAsync(string organisationId)
    {
        var (status, body) = await Payments.Sandbox.GetAsync(PaymentsClient.PaymentToken(organisationId: organisationId), "/sandbox/v1/clock");
        Assert.Equal(HttpStatusCode.OK, status);
        return DateTimeOffset.Parse(body.GetProperty("Now").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Moves the tenant's clock as a partner's test does; the response body.</summary>
    public async Task<JsonElement> MoveClockAsync(string organisationId, object move)
    {
        using var client = Payments.Sandbox.Client(PaymentsClient.PaymentToken(organisationId: organisationId));
        // The clock's members are PascalCase, as partners send them.
        using var response = await client.PostAsync("/sandbox/v1/clock", PaymentsClient.Json(JsonSerializer.Serialize(move)), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> SetClockAsync(string organisationId, DateTimeOffset at) => MoveClockAsync(organisationId, new { Set = Rfc3339(at) });

    /// <summary>The customer's dashboard list (Identity's view).</summary>
    public async Task<JsonElement[]> DashboardAsync(string organisationId, string username = "alice")
    {
        var customerId = await Payments.Sandbox.CustomerIdAsync(username, organisationId);
        using var client = Payments.Sandbox.Client(SandboxFactory.InternalToken());
        return await client.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/{organisationId}/customers/{customerId}/consents", Ct) ?? [];
    }

    /// <summary>The customer revokes the consent from their dashboard; the status code.</summary>
    public async Task<HttpStatusCode> RevokeAsync(string organisationId, string consentId, string username = "alice")
    {
        var customerId = await Payments.Sandbox.CustomerIdAsync(username, organisationId);
        using var client = Payments.Sandbox.Client(SandboxFactory.InternalToken());
        using var response = await client.PostAsJsonAsync($"/internal/consents/{consentId}/revoke", new { customerId }, Ct);
        return response.StatusCode;
    }

    public static string ErrorCode(JsonElement body) => body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString()!;

    public static string? ErrorPath(JsonElement body) => body.GetProperty("Errors")[0].TryGetProperty("Path", out var path) ? path.GetString() : null;

    public sealed record Authorised(ApiVersion Version, string OrganisationId, string ConsentId, string Token, string Initiation, string AccountId, DateTimeOffset When);
}
