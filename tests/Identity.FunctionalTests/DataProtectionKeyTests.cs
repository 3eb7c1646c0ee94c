using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Data Protection keys (sign-in cookies, antiforgery tokens, reset links) live encrypted in the service's database:
/// a second instance — or the same one after a restart — reads what the first protected.
/// </summary>
public sealed class DataProtectionKeyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
    private readonly string _keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public DataProtectionKeyTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task APayloadProtectedByOneInstance_IsReadByASecondOverTheSameDatabase_AndTheStoredKeysAreEncrypted()
    {
        using var first = Instance(_keyEncryptionKey);
        var payload = Protector(first).Protect("reset link for alice");

        using var second = Instance(_keyEncryptionKey);

        Assert.Equal("reset link for alice", Protector(second).Unprotect(payload));
        await using var scope = second.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<IdentityDbContext>().DataProtectionKeys
            .Select(k => k.Xml).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.Contains("<aesGcm", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }

    [Fact]
    public void AnInstanceWithAnotherKeyEncryptionKey_CannotReadTheStoredKeys()
    {
        using var first = Instance(_keyEncryptionKey);
        var payload = Protector(first).Protect("session");

        using var other = Instance(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        Assert.ThrowsAny<CryptographicException>(() => Protector(other).Unprotect(payload));
    }

    [Fact]
    public void OutsideDevelopment_WithoutAKeyEncryptionKey_TheServiceRefusesToStart()
    {
        using var factory = new ProductionIdentityFactory().WithSetting("DataProtection:KeyEncryptionKey", "");

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("DataProtection:KeyEncryptionKey", error.ToString());
    }

    private ServiceFactory<Program> Instance(string keyEncryptionKey) => new ServiceFactory<Program>()
        .WithSetting("ConnectionStrings:IdentityDb", $"Data Source={Path.Combine(_folder, "identity.db")}")
        .WithSetting("DataProtection:KeyEncryptionKey", keyEncryptionKey);

    private static IDataProtector Protector(ServiceFactory<Program> instance)
        => instance.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DataProtectionKeyTests");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the OS temp cleaner gets it.
        }
    }
}
