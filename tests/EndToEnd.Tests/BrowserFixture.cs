using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(OpenBanking.EndToEnd.Tests.BrowserFixture))]

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// One headless Chromium for the run: Debian's /usr/bin/chromium where installed (Playwright cannot download its
/// own browser on our machines), else Playwright's own, installed on first use where the internet is reachable.
/// The flags keep Chromium from calling out to the internet.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string DebianChromium = "/usr/bin/chromium";

    private const float ReadinessTimeout = 30_000;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var useDebianChromium = File.Exists(DebianChromium);
        if (!useDebianChromium && Microsoft.Playwright.Program.Main(["install", "chromium"]) != 0)
        {
            throw new InvalidOperationException(
                $"No browser for the end-to-end tests: install Chromium at {DebianChromium} (apt-get install -y chromium), or let Playwright download its own.");
        }

        // Upper bounds for waits on readiness signals (an element visible or enabled, a URL), not timings: on a
        // 2-core machine running every test project at once a Blazor round trip can take seconds, and Playwright's
        // default of 5 s made the journey fail under load.
        Assertions.SetDefaultExpectTimeout(ReadinessTimeout);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            Headless = true,
            ExecutablePath = useDebianChromium ? DebianChromium : null,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>A fresh, isolated browser context (cookies, storage) for one test.</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, bool clipboard = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Permissions = clipboard ? ["clipboard-read", "clipboard-write"] : null,
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(ReadinessTimeout);
        context.SetDefaultNavigationTimeout(2 * ReadinessTimeout);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
