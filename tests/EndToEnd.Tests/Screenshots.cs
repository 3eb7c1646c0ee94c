using Microsoft.Playwright;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Screenshots of the main pages. With <c>UPDATE_SCREENSHOTS=1</c> they replace docs/screenshots (shown in README.md);
/// otherwise they go to a temporary folder, so a test run leaves the working tree as it was.
/// </summary>
internal static class Screenshots
{
    public const int PhoneWidth = 390;
    public const int PhoneHeight = 844;

    private static readonly string Folder = FindFolder();

    /// <summary>Whether this run renews docs/screenshots (the extra variants are taken only then, to keep CI fast).</summary>
    public static bool Updating => System.Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1";

    public static async Task SaveAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // A viewport change slides the navigation drawer in or out: wait until every CSS transition and animation has
        // finished, or the picture catches the drawer half-way.
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = false });
    }

    /// <summary>
    /// With <c>UPDATE_SCREENSHOTS=1</c>: the page as it is now at desktop and phone width, in the light and the dark
    /// theme — <c>{name}.png</c>, <c>{name}-dark.png</c>, <c>{name}-phone.png</c>, <c>{name}-phone-dark.png</c>; the page
    /// is left as it was found (desktop size, light theme). Otherwise nothing.
    /// </summary>
    public static async Task SaveVariantsAsync(IPage page, string name)
    {
        if (!Updating)
        {
            return;
        }

        var desktop = page.ViewportSize ?? new PageViewportSizeResult { Width = 1440, Height = 900 };
        foreach (var (suffix, width, height) in new[] { ("", desktop.Width, desktop.Height), ("-phone", PhoneWidth, PhoneHeight) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var dark in new[] { false, true })
            {
                await Theme.SetAsync(page, dark);
                await SaveAsync(page, name + suffix + (dark ? "-dark" : ""));
            }
        }

        await page.SetViewportSizeAsync(desktop.Width, desktop.Height);
        await Theme.SetAsync(page, dark: false);
    }

    private static string FindFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenBanking.sln")))
        {
            directory = directory.Parent;
        }

        var folder = Updating && directory is not null
            ? Path.Combine(directory.FullName, "docs", "screenshots")
            : Path.Combine(Path.GetTempPath(), "openbanking-screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }
}

/// <summary>The Portal's light/dark theme, switched as a person does: with the app bar's toggle.</summary>
internal static class Theme
{
    public static async Task SetAsync(IPage page, bool dark)
    {
        var toggle = page.GetByTestId("theme-toggle");
        var wanted = dark ? "Switch to light theme" : "Switch to dark theme";
        if (await toggle.GetAttributeAsync("aria-label") != wanted)
        {
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", wanted);
        }

        // The toggle's tooltip would otherwise cover the app bar (and be part of what is checked).
        await page.Mouse.MoveAsync(0, 0);
        await Assertions.Expect(page.GetByRole(AriaRole.Tooltip)).ToHaveCountAsync(0);

        // Colours change with a CSS transition: until it ends, a button is half-way between the two themes' colours
        // (axe once measured a filled button at #2f7ccc, between light #0b5cad and dark #5aa2f0). Wait for every one.
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))");
    }
}
