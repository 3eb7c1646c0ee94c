using Microsoft.Playwright;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// Whether a page fits its window without sideways scrolling. After a viewport change the layout is not final at once:
/// components that measure themselves (MudChart's SVG, the navigation drawer) redraw when their resize observer fires
/// and the circuit answers, which under load takes a moment. So the check waits for the document to fit, and only when
/// it still does not after a generous wait says how wide it is and which elements reach past the edge.
/// </summary>
internal static class PageWidth
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    /// <summary>Null when the document fits the window (now or once the layout settles); else what overflows.</summary>
    public static async Task<string?> OverflowAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "() => document.documentElement.scrollWidth <= window.innerWidth",
                null,
                new PageWaitForFunctionOptions { Timeout = (float)Settle.TotalMilliseconds, PollingInterval = 100 });
            return null;
        }
        catch (TimeoutException)
        {
            return await page.EvaluateAsync<string?>(DescribeScript);
        }
    }

    // The document's width and the innermost elements reaching past the right edge, to say what to fix.
    private const string DescribeScript = """
        () => {
          const width = window.innerWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
            (e.getAttribute('data-testid') ? `[data-testid=${e.getAttribute('data-testid')}]` : '') +
            (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).slice(0, 2).join('.') : '');
          const wide = [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
            .slice(0, 5).map(name);
          return `document ${document.documentElement.scrollWidth}px wide; ${wide.join(', ')}`;
        }
        """;
}
