using System.Text;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace OpenBanking.Portal.Guides;

/// <summary>A piece of a rendered guide: HTML Markdig produced, or a top-level code block the page shows as a CodeBlock.</summary>
public abstract record GuidePart;

public sealed record GuideHtml(string Html) : GuidePart;

public sealed record GuideCode(string Code, string? Language) : GuidePart
{
    /// <summary>What the sample shows, from the fence's words after the language (<c>```json v4.0</c>).</summary>
    public string? Caption { get; init; }
}

/// <summary>Two captioned samples in a row (e.g. the same request in v3.1.11 and v4.0), shown side by side on wide screens.</summary>
public sealed record GuideCodePair(GuideCode Left, GuideCode Right) : GuidePart;

/// <summary>A guide ready to show: its parts in order, and its sections (for the table of contents and search).</summary>
public sealed record GuideDocument(GuideInfo Guide, IReadOnlyList<GuidePart> Parts, IReadOnlyList<GuideSection> Sections)
{
    /// <summary>The headings a table of contents lists (levels 2 and 3).</summary>
    public IEnumerable<GuideSection> Contents => Sections.Where(s => s.Level is 2 or 3);
}

/// <summary>
/// Markdown to HTML for the guides. Raw HTML in the Markdown is shown as text, never passed through (DisableHtml): the
/// output is inserted as markup, so nothing in a file may add script or attributes. Links are kept only where they
/// lead somewhere the reader can go: other guides (rewritten to /guides/{name}), the API reference, anchors, http(s) and mailto; links to
/// repository files the Portal does not serve, and images, become their text.
/// </summary>
public static class GuideRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .Build();

    public static GuideDocument Render(GuideInfo guide, string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            RewriteLink(guide, link);
        }

        // Wide tables scroll sideways on a phone; a scrolling region must be reachable by keyboard.
        foreach (var table in document.Descendants<Markdig.Extensions.Tables.Table>())
        {
            table.GetAttributes().AddProperty("tabindex", "0");
        }

        var parts = new List<GuidePart>();
        var html = new StringBuilder();
        var skippedTitle = false;
        foreach (var block in document)
        {
            // The page shows the title itself (as its one h1).
            if (!skippedTitle && block is HeadingBlock { Level: 1 })
            {
                skippedTitle = true;
                continue;
            }

            if (block is FencedCodeBlock or CodeBlock)
            {
                Flush(html, parts);
                var fenced = block as FencedCodeBlock;
                var code = new GuideCode(((LeafBlock)block).Lines.ToString().TrimEnd(), string.IsNullOrEmpty(fenced?.Info) ? null : fenced.Info)
                {
                    Caption = string.IsNullOrWhiteSpace(fenced?.Arguments) ? null : fenced.Arguments.Trim(),
                };
                if (code.Caption is not null && parts is [.., GuideCode { Caption: not null } previous])
                {
                    parts[^1] = new GuideCodePair(previous, code);
                }
                else
                {
                    parts.Add(code);
                }

                continue;
            }

            html.Append(ToHtml(block));
        }

        Flush(html, parts);
        return new GuideDocument(guide, parts, Sections(guide, document));
    }

    private static void Flush(StringBuilder html, List<GuidePart> parts)
    {
        if (html.Length > 0)
        {
            parts.Add(new GuideHtml(html.ToString()));
            html.Clear();
        }
    }

    private static string ToHtml(Block block)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(block);
        writer.Flush();
        return writer.ToString();
    }

    private static void RewriteLink(GuideInfo guide, LinkInline link)
    {
        var url = link.Url ?? string.Empty;
        if (link.IsImage)
        {
            Unlink(link);
        }
        else if (url.StartsWith('#'))
        {
            link.Url = $"/guides/{guide.Name}{url}";
        }
        else if (url == "/reference" || url.StartsWith("/reference?", StringComparison.Ordinal) || url.StartsWith("/reference/", StringComparison.Ordinal))
        {
            // The Portal's own API reference (e.g. /reference?version=4.0): a page every reader of a guide can open.
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var absolute))
        {
            if (absolute.Scheme is not ("http" or "https" or "mailto"))
            {
                Unlink(link);
            }
        }
        else if (GuideFor(url) is { } target)
        {
            var fragment = url.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? url[hash..] : string.Empty;
            link.Url = $"/guides/{target.Name}{fragment}";
        }
        else
        {
            Unlink(link);
        }
    }

    /// <summary>The served guide a relative link names (<c>payments.md</c>, <c>./payments.md#x</c>, <c>../docs/payments.md</c>).</summary>
    private static GuideInfo? GuideFor(string url)
    {
        var path = url.Split('#', '?')[0];
        if (!path.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var trimmed = path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
        if (trimmed.StartsWith("../docs/", StringComparison.Ordinal))
        {
            trimmed = trimmed["../docs/".Length..];
        }

        // A file in a sub-folder (decisions/…) or elsewhere in the repository is not a guide.
        return trimmed.Contains('/', StringComparison.Ordinal) ? null : GuideInfo.Find(trimmed[..^3]);
    }

    /// <summary>Replaces a link (or image) by its content, so its words stay in the text.</summary>
    private static void Unlink(LinkInline link)
    {
        Inline anchor = link;
        var child = link.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            anchor.InsertAfter(child);
            anchor = child;
            child = next;
        }

        link.Remove();
    }

    private static List<GuideSection> Sections(GuideInfo guide, MarkdownDocument document)
    {
        var sections = new List<GuideSection>();
        HeadingBlock? heading = null;
        var text = new StringBuilder();

        void Close()
        {
            if (heading is not null && heading.GetAttributes().Id is { } id)
            {
                sections.Add(new GuideSection(guide, PlainText(heading.Inline), id, heading.Level, Normalise(text.ToString())));
            }

            text.Clear();
        }

        foreach (var block in document.Descendants<Block>())
        {
            switch (block)
            {
                case HeadingBlock h:
                    Close();
                    heading = h;
                    break;
                case LeafBlock { Inline: { } inline }:
                    text.Append(PlainText(inline)).Append(' ');
                    break;
                case LeafBlock leaf when leaf.Lines.Count > 0:
                    text.Append(leaf.Lines.ToString()).Append(' ');
                    break;
            }
        }

        Close();
        return sections;
    }

    private static string PlainText(ContainerInline? inline)
    {
        var text = new StringBuilder();
        foreach (var item in inline?.Descendants<Inline>() ?? [])
        {
            switch (item)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
            }
        }

        return text.ToString();
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
