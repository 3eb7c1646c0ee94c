using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Lint;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests.Lint;

/// <summary>Under load lint samples: a call it skips stays "not linted" (ProblemCount null) and is counted.</summary>
public sealed class SpecLintSamplingTests(GatewayPlatform platform) : IClassFixture<GatewayPlatform>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task OverTheLintRate_CallsAreSampledOut_KeepProblemCountNull_AndAreCounted()
    {
        var gateway = platform.SampledLintGateway;
        var wallet = new Wallet(() => platform.Identity.CreateClient(), () => gateway.CreateClient(), "demo-wallet", "demo-wallet-secret");
        var token = await wallet.ClientTokenAsync();
        var consentId = await wallet.CreateConsentAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var client = gateway.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/open-banking/v3.1/aisp/account-access-consents/{consentId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var id = Guid.NewGuid().ToString();
            request.Headers.Add("x-fapi-interaction-id", id);
            using var response = await client.SendAsync(request, _ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(id);
        }

        await gateway.Services.GetRequiredService<CallLogWriter>().FlushAsync(_ct);
        var worker = gateway.Services.GetRequiredService<SpecLintWorker>();
        await worker.FlushAsync(_ct);

        using var portal = gateway.CreateClient();
        var identity = platform.Wallet("portal-service", "portal-service-dev-secret");
        portal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.ClientTokenAsync(PlatformScopes.GatewayCalls));
        var counts = new List<int?>();
        foreach (var id in ids)
        {
            // The clock stands still: the calls are "now", so the range is named.
            var page = await portal.GetFromJsonAsync<JsonElement>(
                $"/internal/calls?organisationId={DevelopmentSeed.DemoOrganisationId}&interactionId={id}&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", _ct);
            var problemCount = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("problemCount");
            counts.Add(problemCount.ValueKind == JsonValueKind.Null ? null : problemCount.GetInt32());
        }

        // The consent create was the one call linted this (frozen) second; the reads were sampled out.
        Assert.All(counts, Assert.Null);
        Assert.True(worker.SampledOut >= 3, $"sampled out: {worker.SampledOut}");
    }
}
