using Microsoft.AspNetCore.Http;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.UnitTests.Payments;

public sealed class AuthoriseCallerTests
{
    private static readonly PaymentInstruction Instruction = new("pdc-1", default, default);

    [Fact]
    public async Task Check_ACustomerTokenBoundToThisConsent_Passes()
        => await new AuthoriseCaller().CheckAsync(Payment(consentInToken: "pdc-1"), TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(null)]
    [InlineData("pdc-2")]
    public async Task Check_AClientCredentialsTokenOrOneBoundToAnotherConsent_IsForbidden(string? consentInToken)
    {
        var refused = await Assert.ThrowsAsync<ObieException>(
            () => new AuthoriseCaller().CheckAsync(Payment(consentInToken), TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(StatusCodes.Status403Forbidden, refused.StatusCode);
    }

    private static PaymentContext Payment(string? consentInToken)
        => new(new CallerContext("wallet", "org", consentInToken, new HashSet<string>()), "key", "hash", "op", Instruction, DateTime.UtcNow);
}
