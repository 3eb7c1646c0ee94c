using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.Fx;

/// <summary>
/// A partner's own charges tariff through <c>/sandbox/v1/fx-tariff</c>: what is set is what payments are charged
/// (read through the tariff the international payments use), a mistake is refused naming every problem and changes
/// nothing, and one partner's tariff never touches another's.
/// </summary>
public sealed class TariffApiTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APartnersTariff_IsWhatPaymentsAreCharged_UntilDeleted_AndNoOtherPartnerSeesIt()
    {
        var organisation = "org-tariff-" + Guid.NewGuid().ToString("N")[..8];
        var other = "org-tariff-" + Guid.NewGuid().ToString("N")[..8];
        using var app = App(organisation);
        using var otherApp = App(other);

        var before = await app.GetFromJsonAsync<JsonElement>(TariffApi.Path, Ct);
        using var put = await app.PutAsync(TariffApi.Path, Json("""{"TransferFee": {"GBP": "2.50"}, "CorrespondentFee": {"EUR": "0", "JPY": "900"}}"""), Ct);

        Assert.False(before.GetProperty("Custom").GetBoolean());
        Assert.Equal("5.00", before.GetProperty("TransferFee").GetProperty("GBP").GetString());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await app.GetFromJsonAsync<JsonElement>(TariffApi.Path, Ct);
        Assert.True(after.GetProperty("Custom").GetBoolean());
        Assert.Equal("2.50", after.GetProperty("TransferFee").GetProperty("GBP").GetString());
        Assert.Equal("6.00", after.GetProperty("TransferFee").GetProperty("EUR").GetString());
        Assert.Equal("0.00", after.GetProperty("CorrespondentFee").GetProperty("EUR").GetString());
        Assert.Equal("900", after.GetProperty("CorrespondentFee").GetProperty("JPY").GetString());

        var tenantId = await TenantIdAsync(organisation);
        var tariff = factory.Services.GetRequiredService<IChargeTariff>();
        Assert.Equal(new TariffFees(250, 0, 0), await tariff.FeesAsync(tenantId, "GBP", "EUR", "UK.OBIE.SWIFT", urgent: false, Ct));
        Assert.Equal(new TariffFees(250, 1000, 900), await tariff.FeesAsync(tenantId, "GBP", "JPY", "UK.OBIE.SWIFT", urgent: true, Ct));
        var untouched = await otherApp.GetFromJsonAsync<JsonElement>(TariffApi.Path, Ct);
        Assert.False(untouched.GetProperty("Custom").GetBoolean());
        Assert.Equal(new TariffFees(500, 0, 800), await tariff.FeesAsync(await TenantIdAsync(other), "GBP", "EUR", "UK.OBIE.SWIFT", urgent: false, Ct));

        using var deleted = await app.DeleteAsync(TariffApi.Path, Ct);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(new TariffFees(500, 0, 800), await tariff.FeesAsync(tenantId, "GBP", "EUR", "UK.OBIE.SWIFT", urgent: false, Ct));
    }

    [Fact]
    public async Task AMistakenTariff_Is400NamingEveryProblem_AndChangesNothing()
    {
        var organisation = "org-tariff-" + Guid.NewGuid().ToString("N")[..8];
        using var app = App(organisation);

        using var refused = await app.PutAsync(TariffApi.Path,
            Json("""{"TransferFee": {"GBP": "2.505", "ZAR": "10.00"}, "CorrespondentFee": {"JPY": "9.5", "EUR": 3}, "Fee": {}}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors");
        Assert.Equal(
            ["CorrespondentFee.EUR", "CorrespondentFee.JPY", "Fee", "TransferFee.GBP", "TransferFee.ZAR"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("at most 2 decimal places", errors.GetProperty("TransferFee.GBP")[0].GetString());
        Assert.Contains("at most 0 decimal places", errors.GetProperty("CorrespondentFee.JPY")[0].GetString());
        Assert.Contains("not a currency the FX desk trades", errors.GetProperty("TransferFee.ZAR")[0].GetString());
        var tariff = await app.GetFromJsonAsync<JsonElement>(TariffApi.Path, Ct);
        Assert.False(tariff.GetProperty("Custom").GetBoolean());
    }

    private HttpClient App(string organisation)
        => _sandbox.Client(SandboxFactory.ClientToken(clientId: "wallet-tariff", organisationId: organisation, scope: PlatformScopes.Payments));

    private async Task<Guid> TenantIdAsync(string organisation)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<TenantService>().GetOrCreateAsync(organisation, Ct)).Id;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
