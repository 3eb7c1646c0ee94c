using System.Reflection;
using Microsoft.AspNetCore.Components;
using OpenBanking.Portal.Components.Pages.Partner;

namespace OpenBanking.Portal.ComponentTests.Partners;

/// <summary>The app page's tabs are addressable: one route per section, the old address still the overview.</summary>
public sealed class AppTabRoutingTests
{
    [Fact]
    public void AppPage_AnswersTheOldAddress_AndOnePerSection()
    {
        var routes = typeof(AppDetail).GetCustomAttributes<RouteAttribute>().Select(r => r.Template).Order(StringComparer.Ordinal);

        Assert.Equal(["/apps/{ClientId}", "/apps/{ClientId}/{Section}"], routes);
        Assert.Equal(["overview", "quickstart", "calls", "usage", "events", "security", "go-live"], AppDetail.Sections);
    }

    [Theory]
    [InlineData("overview", "/apps/demo-wallet")]
    [InlineData("quickstart", "/apps/demo-wallet/quickstart")]
    [InlineData("calls", "/apps/demo-wallet/calls")]
    [InlineData("usage", "/apps/demo-wallet/usage")]
    [InlineData("events", "/apps/demo-wallet/events")]
    [InlineData("security", "/apps/demo-wallet/security")]
    [InlineData("go-live", "/apps/demo-wallet/go-live")]
    public void EachSection_HasItsAddress(string section, string href)
        => Assert.Equal(href, AppDetail.Href("demo-wallet", section));

    [Fact]
    public void AClientIdIsEscaped_SoItCannotAddSegments()
        => Assert.Equal("/apps/a%2Fb/calls", AppDetail.Href("a/b", "calls"));
}
