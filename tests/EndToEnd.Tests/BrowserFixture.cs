using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(OpenBanking.EndToEnd.Tests.BrowserFixture))]

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// One headless Chromium for the run: Debian's /usr/bin/chromium where installed (Playwright cannot download its
/// own browser here), else Playwright's own. The flags keep Chromium from calling out to the internet.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string DebianChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            Headless = true,
            ExecutablePath = File.Exists(DebianChromium) ? DebianChromium : null,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>A fresh, isolated browser context (cookies, storage) for one test.</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });
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
