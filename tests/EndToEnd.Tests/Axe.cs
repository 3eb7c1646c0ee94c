using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// axe-core's serious and critical violations on the page as it is now, run in the page itself.
/// </summary>
/// <remarks>
/// Deque.AxeCore.Playwright's <c>RunAxe</c> (no longer referenced) runs axe in two halves so that cross-origin frames
/// can be checked: <c>runPartial</c> in each frame, then <c>finishRun</c> in a new blank page it opens for every call.
/// Our pages have no frames to enter. The extra page cost about 1.8 s per check on this machine, against 0.2 s for the
/// check itself, and made the accessibility tests most of the browser suite's time. The same bundled axe-core
/// (Deque.AxeCore.Commons) is run with <c>axe.run</c> and the same options instead (<see cref="AxeRunnerTests"/> shows
/// it still finds what it must).
/// </remarks>
internal static class Axe
{
    private static readonly Lazy<string> Script = new(() => new BundledAxeScriptProvider().GetScript());

    // Each offending element: rule, impact, help text, the element's selector and what axe measured there
    // (e.g. "insufficient color contrast of 3.12 (foreground color: #ffffff, background color: #2196f3 …)").
    private const string RunScript = """
        async () => {
          const result = await axe.run(document, { resultTypes: ['violations'], iframes: false });
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .flatMap(v => v.nodes.map(n => ({
              rule: v.id,
              impact: v.impact,
              help: v.help,
              target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(', '),
              detail: [...(n.any || []), ...(n.all || []), ...(n.none || [])].map(c => c.message).find(m => m) || null,
            })));
        }
        """;

    /// <summary>One line per offending element, each starting with <paramref name="where"/>; empty when the page is clean.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, string where)
    {
        // A full page load leaves a new window without axe; Blazor's enhanced navigation keeps the one injected before.
        if (await page.EvaluateAsync<bool>("() => typeof window.axe === 'undefined'"))
        {
            await page.EvaluateAsync(Script.Value);
        }

        var found = await page.EvaluateAsync<JsonElement>(RunScript);
        return found.EnumerateArray()
            .Select(v => $"{where} · {Text(v, "rule")} ({Text(v, "impact")}): {Text(v, "help")} — {Text(v, "target")}"
                + (Text(v, "detail") is { Length: > 0 } detail ? " — " + detail : string.Empty))
            .ToList();
    }

    /// <summary>Fails with every line when there is any.</summary>
    public static void AssertNone(IReadOnlyCollection<string> violations)
        => Assert.True(violations.Count == 0,
            $"{violations.Count} serious or critical accessibility violations:{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, violations));

    private static string? Text(JsonElement violation, string name)
        => violation.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
