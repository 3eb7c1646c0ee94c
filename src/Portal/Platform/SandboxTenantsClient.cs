using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>The Sandbox's internal tenant endpoints (scope <c>sandbox.internal</c>): test customers and resets.</summary>
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

    public async Task ResetAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.PostAsync($"internal/tenants/{organisationId}/reset", null, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
    }
}

public sealed record TestCustomer(string CustomerId, string Username, string Persona, string Name, string Password, string TotpSecret, string TotpUri);

public sealed record TenantPayment(
    string PaymentId, string ConsentId, string ClientId, string Status, string Amount, string Currency, string CreditorName,
    string? Reference, DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt, string? StatusReason, int RiskScore,
    IReadOnlyList<string> RiskReasons, bool HeldForReview);
