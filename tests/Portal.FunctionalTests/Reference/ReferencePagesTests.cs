using System.Net;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Reference;

/// <summary>The reference pages as the running Portal serves them (prerendered HTML).</summary>
public sealed class ReferencePagesTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/reference/ais", "Account and Transaction API", "/open-banking/v3.1/aisp/accounts")]
    [InlineData("/reference/pis", "Payment Initiation API", "/open-banking/v3.1/pisp/domestic-payment-consents")]
    [InlineData("/reference/cbpii", "Confirmation of Funds API", "/open-banking/v3.1/cbpii/funds-confirmations")]
    public async Task ReferencePage_ListsTheApisOperations(string path, string title, string operationPath)
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(path, _ct);

        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains(operationPath, html, StringComparison.Ordinal);
        Assert.Contains("Search operations", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceIndex_LinksEachApi()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/reference", _ct);

        Assert.Contains("href=\"reference/ais\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"reference/pis\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"reference/cbpii\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Navigation_LinksTheReference()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/", _ct);

        Assert.Contains("href=\"reference\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/reference/ais?clientId=demo-wallet", _ct)).StatusCode);
    }
}
