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
    [InlineData("/reference/ais?version=4.0", "Account and Transaction API", "/open-banking/v4.0/aisp/accounts")]
    [InlineData("/reference/pis?version=4.0", "Payment Initiation API", "/open-banking/v4.0/pisp/domestic-payment-consents")]
    [InlineData("/reference/cbpii?version=4.0", "Confirmation of Funds API", "/open-banking/v4.0/cbpii/funds-confirmations")]
    public async Task ReferencePage_ListsTheApisOperations(string path, string title, string operationPath)
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(path, _ct);

        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains(operationPath, html, StringComparison.Ordinal);
        Assert.Contains("Search operations", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/reference/ais", "v3.1.11", "/open-banking/v4.0/")]
    [InlineData("/reference/ais?version=4.0", "v4.0", "/open-banking/v3.1/")]
    [InlineData("/reference/ais?version=v4.0&operation=GetAccounts", "v4.0", "/open-banking/v3.1/")]
    public async Task ReferencePage_ShowsOneVersion_WithTheSwitchMarkingIt(string path, string current, string otherPrefix)
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(path, _ct);

        Assert.Contains("data-testid=\"version-switch\"", html, StringComparison.Ordinal);
        Assert.Matches($"aria-current=\"page\"[^>]*data-testid=\"version-{System.Text.RegularExpressions.Regex.Escape(current)}\"", html);
        Assert.DoesNotContain(otherPrefix, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferencePage_OfAVersionThatDoesNotExist_SaysSo()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/reference/ais?version=2.0", _ct);

        Assert.Contains("Version not found", html, StringComparison.Ordinal);
        Assert.Contains("href=\"reference/ais?version=4.0\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrationGuide_IsServed_AndListedWithTheGuides()
    {
        using var client = factory.CreateClient();

        var guide = await client.GetStringAsync("/guides/migrating-to-v4", _ct);
        var guides = await client.GetStringAsync("/guides", _ct);

        Assert.Contains("Moving from v3.1.11 to v4.0", guide, StringComparison.Ordinal);
        Assert.Contains("UK.OBIE.Resource.ConsentMismatch", guide, StringComparison.Ordinal);
        Assert.Contains("guides/migrating-to-v4", guides, StringComparison.Ordinal);
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
