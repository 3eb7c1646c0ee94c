using System.Net;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

public sealed class DevelopmentMailTests
{
    [Fact]
    public async Task MailPage_OutsideDevelopment_IsNotFound()
    {
        using var factory = new ServiceFactory<Program>().WithSetting("environment", "Production")
            .WithSetting("DataProtection:KeyEncryptionKey", Convert.ToBase64String(new byte[32]));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/dev/mail", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
