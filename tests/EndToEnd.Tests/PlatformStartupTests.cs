using System.Net;

namespace OpenBanking.EndToEnd.Tests;

public sealed class PlatformStartupTests(PlatformFixture platform)
{
    public static TheoryData<string> Services() => new(PlatformFixture.Services);

    [Theory]
    [MemberData(nameof(Services))]
    public async Task AppHost_StartsEveryService_Healthy(string service)
    {
        using var client = new HttpClient { BaseAddress = platform.EndpointOf(service) };

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Gateway_ForwardsOpenBankingPathsToTheSandbox()
    {
        using var client = new HttpClient { BaseAddress = platform.EndpointOf("gateway") };

        // The Sandbox answers (a bank-API 404: no body, an interaction id) — real HTTP through service discovery.
        using var response = await client.GetAsync("/open-banking/v3.1/unknown", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-fapi-interaction-id").Single(), out _));
    }
}
