using System.Net;
using OpenBanking.Gateway.Infrastructure;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests;

public sealed class StartupTests(ServiceFactory<Program> factory)
    : ServiceStartupTests<Program, GatewayDbContext>(factory, "gateway.db"), IClassFixture<ServiceFactory<Program>>
{
    [Fact]
    public async Task UnroutedPath_Returns404()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/not-a-route", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
