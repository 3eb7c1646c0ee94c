namespace OpenBanking.Platform.Tests;

public sealed class VendoredSpecsTests
{
    /// <summary>specs/ is a copy of the contract in shared/specs; where shared/ is beside the repository, they must agree.</summary>
    [Theory]
    [InlineData("obie-v3.1.11/account-info-openapi.yaml")]
    [InlineData("obie-v3.1.11/payment-initiation-openapi.yaml")]
    [InlineData("obie-v3.1.11/confirmation-funds-openapi.yaml")]
    [InlineData("obie-v3.1.11/events-openapi.yaml")]
    [InlineData("obie-v3.1.11/event-notifications-openapi.yaml")]
    [InlineData("obie-v3.1.11/vrp-openapi.yaml")]
    public void VendoredSpecification_IsPresent_AndMatchesSharedWhereAvailable(string file)
    {
        var vendored = Path.Combine(RepositoryPaths.Root, "specs", file);
        Assert.True(File.Exists(vendored), $"{vendored} is missing");

        var shared = Path.Combine(RepositoryPaths.Root, "..", "shared", "specs", file);
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllText(shared), File.ReadAllText(vendored));
        }
    }
}
