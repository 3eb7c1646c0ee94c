using Microsoft.Extensions.Configuration;
using OpenBanking.Sandbox.Customers;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class TotpSecretsTests
{
    [Fact]
    public void GeneratedKey_IsKeptInTheDataDirectory_SoSecretsSurviveARestart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = directory }).Build();

            var first = TotpSecrets.Load(configuration, directory).For("org-a", "alice");
            var afterRestart = TotpSecrets.Load(configuration, directory).For("org-a", "alice");

            Assert.Equal(first, afterRestart);
            Assert.True(File.Exists(Path.Combine(directory, "keys", "totp.key")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Secrets_DifferPerTenantAndCustomer_AndIgnoreTheCaseOfTheOrganisationId()
    {
        var secrets = new TotpSecrets(new byte[32]);
        var organisation = "7d0c5b6a-3e1f-4a52-9c8d-2b4e6f8a0c1d";

        Assert.Equal(secrets.For(organisation, "alice"), secrets.For(organisation.ToUpperInvariant(), "ALICE"));
        Assert.NotEqual(secrets.For(organisation, "alice"), secrets.For(organisation, "bob"));
        Assert.NotEqual(secrets.For(organisation, "alice"), secrets.For(Guid.NewGuid().ToString(), "alice"));
        Assert.Equal(32, secrets.For(organisation, "alice").Length);
    }

    [Fact]
    public void ConfiguredKey_IsUsed_AndMustBeLongEnough()
    {
        var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        IConfiguration With(string value) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TotpSecrets.ConfigurationKey] = value }).Build();

        Assert.Equal(new TotpSecrets(Convert.FromBase64String(key)).For("org-a", "alice"), TotpSecrets.Load(With(key), Path.GetTempPath()).For("org-a", "alice"));
        Assert.Throws<InvalidOperationException>(() => TotpSecrets.Load(With(Convert.ToBase64String(new byte[16])), Path.GetTempPath()));
    }
}
