using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Components.Pages;
using OpenBanking.Portal.Services;

namespace OpenBanking.Portal.ComponentTests;

public sealed class StatusPageTests : PortalTestContext
{
    [Fact]
    public void StatusPage_ShowsEachServiceAsItAnswers()
    {
        // The network is stubbed at the HTTP handler; PlatformStatus itself is the real class.
        Services.AddSingleton<IHttpClientFactory>(new StubFactory(request => request.RequestUri!.Host switch
        {
            "identity" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("Healthy") },
            "gateway" => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("Unhealthy") },
            _ => throw new HttpRequestException("connection refused"),
        }));
        Services.AddScoped<PlatformStatus>();
        Render<MudBlazor.MudPopoverProvider>();

        var page = Render<Status>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("[data-testid=status-table] tbody tr").Select(r => r.TextContent).ToList();
            Assert.Equal(3, rows.Count);
            Assert.Contains(rows, r => r.Contains("identity", StringComparison.Ordinal) && r.Contains("Operational", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains("gateway", StringComparison.Ordinal) && r.Contains("Unhealthy", StringComparison.Ordinal));
            Assert.Contains(rows, r => r.Contains("sandbox", StringComparison.Ordinal) && r.Contains("Unreachable", StringComparison.Ordinal));
        });
    }

    private sealed class StubFactory(Func<HttpRequestMessage, HttpResponseMessage> respond) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new StubHandler(respond));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(respond(request));
    }
}
