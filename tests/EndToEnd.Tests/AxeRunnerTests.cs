namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The accessibility checks pass only if <see cref="Axe"/> would have said otherwise: on a page with a known serious
/// and a known critical violation (and one minor one it must leave out) it reports exactly those, with what it measured.
/// </summary>
public sealed class AxeRunnerTests(BrowserFixture browser)
{
    [Fact]
    public async Task SeriousViolationsAsync_ReportsSeriousAndCriticalOnes_WithTheMeasurement_AndNothingOnACleanPage()
    {
        var page = await browser.NewPageAsync(new Uri("http://localhost/"));
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Axe runner check</title></head><body><main>
              <h1>Check</h1>
              <p id="faint" style="color:#999;background:#fff">Grey on white</p>
              <img id="unnamed" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            </main><div>Outside any landmark (a moderate violation)</div></body></html>
            """);

        var found = await Axe.SeriousViolationsAsync(page, "fixture");

        Assert.Collection(found.Order(StringComparer.Ordinal),
            line => Assert.StartsWith("fixture · color-contrast (serious): ", line, StringComparison.Ordinal),
            line => Assert.StartsWith("fixture · image-alt (critical): ", line, StringComparison.Ordinal));
        Assert.Contains("#faint", found[0] + found[1], StringComparison.Ordinal);
        Assert.Contains("#unnamed", found[0] + found[1], StringComparison.Ordinal);
        Assert.Contains(found, l => l.Contains("foreground color: #999999", StringComparison.Ordinal));

        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1><p>Text</p></main></body></html>
            """);
        Assert.Empty(await Axe.SeriousViolationsAsync(page, "clean"));
    }
}
