using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>The Sandbox's internal tenant endpoints (scope <c>sandbox.internal</c>): test customers and resets.</summary>
public sealed class SandboxTenantsApi(HttpClient http)
{
    public async Task<IReadOnlyList<TestCustomer>> ListCustomersAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"internal/tenants/{organisationId}/customers", ct);
        await IdentityClientsApi.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TestCustomer[]>(ct))!;
    }

    public async Task ResetAsync(Guid organisationId, CancellationToken ct)
    {
        using var response = await http.PostAsync($"internal/tenants/{organisationId}/reset", null, ct);
        await IdentityClientsApi.EnsureSuccessAsync(response, ct);
    }
}

public sealed record TestCustomer(string CustomerId, string Username, string Persona, string Name, string Password, string TotpSecret, string TotpUri);
