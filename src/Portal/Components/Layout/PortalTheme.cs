using MudBlazor;

namespace OpenBanking.Portal.Components.Layout;

/// <summary>The Portal's look: the bank's palette in light and dark, with the system font stack (no web fonts).</summary>
public static class PortalTheme
{
    private static readonly string[] FontStack =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans", "sans-serif"];

    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5cad",
            Secondary = "#00897b",
            AppbarBackground = "#0b3d6e",
            Background = "#f6f8fb",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#5aa2f0",
            Secondary = "#4db6ac",
            AppbarBackground = "#0d1b2a",
            Background = "#121821",
            Surface = "#1a2230",
            DrawerBackground = "#161d29",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
