using System.Net;
using System.Text;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>HTTP-level behaviour of the bank APIs: statuses without bodies where the specification has none, 400 for bad parameters.</summary>
public sealed class ProtocolTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly SandboxClient _sandbox = new(factory);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task UndefinedEndpoint_Returns404WithoutABody_ButWithAnInteractionId()
    {
        using var client = _sandbox.Client(SandboxFactory.ClientToken());

        using var response = await client.GetAsync($"{SandboxClient.Aisp}/no-such-resource", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync(_ct));
        Assert.True(response.Headers.Contains("x-fapi-interaction-id"));
    }

    [Fact]
    public async Task WrongMethod_Returns405WithoutABody()
    {
        using var client = _sandbox.Client(SandboxFactory.ClientToken());

        using var response = await client.PutAsync($"{SandboxClient.Aisp}/account-access-consents",
            new StringContent("{}", Encoding.UTF8, "application/json"), _ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync(_ct));
    }

    [Theory]
    [InlineData("?page=abc", "UK.OBIE.Field.Invalid")]
    [InlineData("?page=0", "UK.OBIE.Field.Invalid")]
    [InlineData("?fromBookingDateTime=yesterday", "UK.OBIE.Field.InvalidDate")]
    public async Task BadQueryParameters_Return400_NeverA500(string query, string errorCode)
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsCredits");

        var (status, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/transactions{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(errorCode, body.GetProperty("Errors")[0].GetProperty("ErrorCode").GetString());
    }

    [Fact]
    public async Task FilterDates_OutsideTheData_AreValid_AndGiveAnEmptyPage()
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsCredits");

        var (status, body) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}/accounts/{accounts[0]}/transactions?fromBookingDateTime=1990-01-01&toBookingDateTime=1990-12-31");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body.GetProperty("Data").GetProperty("Transaction").EnumerateArray());
    }
}
