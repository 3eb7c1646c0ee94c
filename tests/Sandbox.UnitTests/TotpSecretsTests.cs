using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using OpenBanking.Sandbox.Customers;
using OpenBanking.ServiceDefaults.DataProtection;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class TotpSecretsTests
{
    private static readonly KeyEncryptionKey Kek = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void GeneratedKey_IsKeptInTheDataDirectory_SoSecretsSurviveARestart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = directory }).Build();

            var first = TotpSecrets.Load(configuration, directory, Kek).For("org-a", "alice");
            var afterRestart = TotpSecrets.Load(configuration, directory, Kek).For("org-a", "alice");

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

        Assert.Equal(new TotpSecrets(Convert.FromBase64String(key)).For("org-a", "alice"), TotpSecrets.Load(With(key), Path.GetTempPath(), Kek).For("org-a", "alice"));
        Assert.Throws<InvalidOperationException>(() => TotpSecrets.Load(With(Convert.ToBase64String(new byte[16])), Path.GetTempPath(), Kek));
    }

    [Fact]
    public void GeneratedKeyFile_IsWrappedUnderTheKeyEncryptionKey_NotPlaintext_AndAnotherKekCannotReadIt()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = directory }).Build();
            TotpSecrets.Load(configuration, directory, Kek);

            var file = File.ReadAllText(Path.Combine(directory, "keys", "totp.key"));
            Assert.StartsWith(KeyEncryptionKey.WrappedPrefix, file, StringComparison.Ordinal);
            Assert.ThrowsAny<CryptographicException>(() => TotpSecrets.Load(configuration, directory, new KeyEncryptionKey(RandomNumberGenerator.GetBytes(32))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void LegacyPlaintextKeyFile_IsWrappedInPlace_AndTheDerivedSecretsDoNotChange()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = directory }).Build();
            var legacyKey = RandomNumberGenerator.GetBytes(32);
            Directory.CreateDirectory(Path.Combine(directory, "keys"));
            var file = Path.Combine(directory, "keys", "totp.key");
            File.WriteAllBytes(file, legacyKey);
            var before = new TotpSecrets(legacyKey).For("org-a", "alice");

            var upgraded = TotpSecrets.Load(configuration, directory, Kek).For("org-a", "alice");
            var afterRestart = TotpSecrets.Load(configuration, directory, Kek).For("org-a", "alice");

            Assert.Equal(before, upgraded);
            Assert.Equal(before, afterRestart);
            Assert.StartsWith(KeyEncryptionKey.WrappedPrefix, File.ReadAllText(file), StringComparison.Ordinal);
            Assert.NotEqual(legacyKey, File.ReadAllBytes(file));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
