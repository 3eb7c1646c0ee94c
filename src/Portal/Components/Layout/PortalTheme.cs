using MudBlazor;

namespace OpenBanking.Portal.Components.Layout;

/// <summary>
/// The Portal's look: the bank's palette in light and dark, with the system font stack (no web fonts). Every colour
/// meets WCAG AA (4.5:1) both as text on the page and as a fill under its contrast text — MudBlazor's defaults
/// (#2196f3 info, #00c853 success, white on light blues in the dark theme) do not; AccessibilityTests checks it.
/// </summary>
public static class PortalTheme
{
    private static readonly string[] FontStack =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans", "sans-serif"];

    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5cad",
            Secondary = "#00796b",
            Info = "#1565c0",
            Success = "#256d29", // 4.5:1 on its own tinted chip background too
            Warning = "#9a5b00",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.6)",
            AppbarBackground = "#0b3d6e",
            Background = "#f6f8fb",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            // Light colours on a dark page: their fills carry dark text, not white.
            Primary = "#5aa2f0",
            PrimaryContrastText = "#0d1b2a",
            Secondary = "#4db6ac",
            SecondaryContrastText = "#0d1b2a",
            Info = "#64b5f6",
            InfoContrastText = "#0d1b2a",
            Success = "#66bb6a",
            SuccessContrastText = "#0d1b2a",
            Warning = "#ffb74d",
            WarningContrastText = "#0d1b2a",
            Error = "#f28b82",
            ErrorContrastText = "#0d1b2a",
            TextSecondary = "rgba(255,255,255,0.7)",
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
