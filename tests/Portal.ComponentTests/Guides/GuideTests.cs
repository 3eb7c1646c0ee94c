using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Components.Pages.Guides;
using OpenBanking.Portal.Components.Pages.Reference;
using OpenBanking.Portal.Guides;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.Guides;

/// <summary>The guides as the Portal serves them: the real docs/*.md, copied beside the Portal (and these tests) at build.</summary>
public sealed class GuideTests : PortalTestContext
{
    private readonly GuideLibrary _library = new(Options.Create(new GuideOptions()));

    public GuideTests()
    {
        Services.AddSingleton(_library);
        Services.AddSingleton(new ApiCatalog(Options.Create(new ApiReferenceOptions())));
        RenderInteractively();
    }

    public static TheoryData<string> GuideNames => new(GuideInfo.All.Select(g => g.Name));

    [Theory]
    [MemberData(nameof(GuideNames))]
    public void EveryServedGuide_RendersFromItsFileInDocs_WithItsTitleContentsAndNoLinkToAMarkdownFile(string name)
    {
        var page = Render<GuidePage>(p => p.Add(x => x.Name, name));

        Assert.Equal(GuideInfo.Find(name)!.Title, page.Find("[data-testid=guide-title]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=guide-missing]"));
        var content = page.Find("[data-testid=guide-content]");
        Assert.True(content.QuerySelectorAll("h2").Length > 0, "the guide's sections are rendered");
        // Every link leads somewhere the reader can go: no raw .md file, no repository path.
        Assert.All(content.QuerySelectorAll("a"), a => Assert.DoesNotContain(".md", a.GetAttribute("href"), StringComparison.Ordinal));
        // The contents link to headings that exist on the page.
        var ids = content.QuerySelectorAll("[id]").Select(e => e.Id).ToHashSet();
        Assert.All(page.FindAll("[data-testid=guide-toc] a"), a => Assert.Contains(a.GetAttribute("href")!.Split('#')[1], ids));
    }

    [Fact]
    public void RelativeLinksBetweenDocs_PointToTheGuidePages_AndOtherRepositoryFilesBecomeText()
    {
        var sandbox = Render<GuidePage>(p => p.Add(x => x.Name, "sandbox"));
        Assert.Contains(sandbox.FindAll("[data-testid=guide-content] a"), a => a.GetAttribute("href") == "/guides/payments");

        var portal = Render<GuidePage>(p => p.Add(x => x.Name, "portal"));
        var text = portal.Find("[data-testid=guide-content]");
        Assert.Contains("identity-clients.md", text.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(text.QuerySelectorAll("a"), a => a.TextContent.Contains("identity-clients", StringComparison.Ordinal));
    }

    [Fact]
    public void RawHtmlScriptsAndUnsafeLinksInMarkdown_AreShownAsText_NeverPassedThrough()
    {
        const string markdown = """
            # Title

            <script>alert('block')</script>

            Some <b onclick="alert('inline')">bold</b> text, [a trap](javascript:alert(1)), [source](../src/Portal/Program.cs),
            ![a picture](screenshots/app-overview.png) and [the gateway](gateway.md#call-log) and [here](#title).
            """;

        var document = GuideRenderer.Render(GuideInfo.Find("sandbox")!, markdown);
        var html = string.Concat(document.Parts.OfType<GuideHtml>().Select(p => p.Html));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("a trap", html, StringComparison.Ordinal);
        Assert.Contains("a picture", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/guides/gateway#call-log\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/guides/sandbox#title\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Program.cs\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FencedCode_IsShownAsTheCodeBlockComponent()
    {
        var page = Render<GuidePage>(p => p.Add(x => x.Name, "authorisation"));

        var blocks = page.FindAll("pre.code-block");
        Assert.NotEmpty(blocks);
        Assert.Contains(blocks, b => b.TextContent.Contains("/connect/par", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownGuide_SaysSo_AndLinksToTheGuides()
    {
        var page = Render<GuidePage>(p => p.Add(x => x.Name, "nope"));

        Assert.Contains("There is no guide called", page.Find("[data-testid=guide-not-found]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void MigrationGuide_ShowsTheVersionsSamplesSideBySide_AndLinksTheV40Reference()
    {
        var page = Render<GuidePage>(p => p.Add(x => x.Name, "migrating-to-v4"));

        var pairs = page.FindAll("[data-testid=guide-code-pair]");
        Assert.NotEmpty(pairs);
        Assert.All(pairs, pair =>
        {
            var labels = pair.QuerySelectorAll("pre").Select(p => p.GetAttribute("aria-label")).ToList();
            Assert.Equal(["v3.1.11 · json sample", "v4.0 · json sample"], labels);
        });
        Assert.Contains(page.FindAll("[data-testid=guide-content] a"), a => a.GetAttribute("href") == "/reference?version=4.0");
        Assert.Contains("U011", page.Find("[data-testid=guide-content]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceIndex_InV40_LinksTheV40Pages_AndSearchesTheV40Operations()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/reference?version=4.0");
        var page = Render<ReferenceIndex>();

        Assert.Contains(page.FindAll("[data-testid=api-card] a"), a => a.GetAttribute("href") == "reference/pis?version=4.0");
        SearchBox(page).Input("balances");

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=operation-results] a"),
            a => a.GetAttribute("href") == "reference/ais?version=4.0&operation=GetBalances#op-GetBalances"));
    }

    [Fact]
    public void Search_FindsAHeadingOfThePaymentsGuide_WithItsAnchor()
    {
        var results = _library.Search("scenario triggers");

        var first = results[0];
        Assert.Equal("payments", first.Guide.Name);
        Assert.Equal("Scenario triggers", first.Heading);
        Assert.Equal("/guides/payments#scenario-triggers", first.Href);
    }

    [Fact]
    public void ReferenceSearch_ListsOperationsAndGuideSections_LinkingToEach()
    {
        var page = Render<ReferenceIndex>();

        SearchBox(page).Input("scenario triggers");

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=guide-results] a"),
            a => a.GetAttribute("href") == "/guides/payments#scenario-triggers"));

        SearchBox(page).Input("balances");

        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=operation-results] a"),
            a => a.GetAttribute("href") == "reference/ais?operation=GetBalances#op-GetBalances"));
        Assert.NotEmpty(page.FindAll("[data-testid=guide-results] a"));
    }

    // MudTextField puts the test id on the input itself.
    private static AngleSharp.Dom.IElement SearchBox(IRenderedComponent<ReferenceIndex> page)
    {
        var element = page.Find("[data-testid=reference-search]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }
}
