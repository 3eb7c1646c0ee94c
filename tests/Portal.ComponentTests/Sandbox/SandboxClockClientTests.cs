using System.Net;
using System.Text;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Sandbox;

/// <summary>The Portal's calls to the Sandbox's internal clock API: the body it sends and how a refusal reads.</summary>
public sealed class SandboxClockClientTests
{
    private static readonly Guid Organisation = Guid.Parse("7d0c5b6a-3e1f-4a52-9c8d-2b4e6f8a0c1d");
    private readonly CancellationToken _ct = Xunit.TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("P1D", null, null, """{"Advance":"P1D"}""")]
    [InlineData(null, "2027-02-01T09:30:00Z", null, """{"Set":"2027-02-01T09:30:00Z"}""")]
    [InlineData(null, null, true, """{"Freeze":true}""")]
    public async Task AMove_IsSentWithTheSandboxsNames_AndOnlyTheOneGiven(string? advance, string? set, bool? freeze, string expected)
    {
        var handler = new Handler(HttpStatusCode.OK, """{"Now":"2027-01-15T09:30:00Z","Frozen":false,"From":"2027-01-14T09:30:00Z","Ran":2}""");
        var client = new SandboxTenantsClient(new HttpClient(handler) { BaseAddress = new Uri("http://sandbox/") });

        var moved = await client.MoveClockAsync(Organisation, new ClockMove(advance, set, freeze), _ct);

        Assert.Equal(expected, handler.Body);
        Assert.Equal($"/internal/tenants/{Organisation}/clock", handler.Uri!.AbsolutePath);
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 9, 30, 0, TimeSpan.Zero), moved.Now);
        Assert.Equal(2, moved.Ran);
    }

    [Fact]
    public async Task ARefusal_ReadsAsTheSandboxsSentence_NotItsTitle()
    {
        var handler = new Handler(HttpStatusCode.BadRequest,
            """{"title":"The sandbox clock cannot move that way","status":400,"detail":"The sandbox clock never moves backwards: it reads 2027-01-14T09:30:00Z and 2027-01-01T00:00:00Z is earlier. Reset the sandbox to return to real time."}""",
            "application/problem+json");
        var client = new SandboxTenantsClient(new HttpClient(handler) { BaseAddress = new Uri("http://sandbox/") });

        var refusal = await Assert.ThrowsAsync<PlatformServiceException>(
            () => client.MoveClockAsync(Organisation, new ClockMove(Set: "2027-01-01T00:00:00Z"), _ct));

        Assert.StartsWith("The sandbox clock never moves backwards", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APreview_AsksForTheMove_AndReadsTheEvents()
    {
        var handler = new Handler(HttpStatusCode.OK, """
            {"Now":"2027-01-14T09:30:00Z","Frozen":true,"Until":"2027-02-14T09:30:00Z","More":false,
             "Events":[{"At":"2027-02-01T00:00:00Z","Kind":"StandingOrderPayment","ResourceId":"so-1","Description":"£25.00 to Landlord Ltd (standing order)"}]}
            """);
        var client = new SandboxTenantsClient(new HttpClient(handler) { BaseAddress = new Uri("http://sandbox/") });

        var preview = await client.PreviewClockAsync(Organisation, "P1M", _ct);

        Assert.Equal("?until=P1M", handler.Uri!.Query);
        Assert.Equal("£25.00 to Landlord Ltd (standing order)", Assert.Single(preview.Events).Description);
        Assert.True(preview.Frozen);
    }

    private sealed class Handler(HttpStatusCode status, string answer, string mediaType = "application/json") : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(answer, Encoding.UTF8, mediaType) };
        }
    }
}
