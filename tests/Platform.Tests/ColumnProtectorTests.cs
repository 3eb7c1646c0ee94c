using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.ServiceDefaults.Encryption;

namespace OpenBanking.Platform.Tests;

/// <summary>The column protector over a real Data Protection key ring (kept in a temporary folder).</summary>
public sealed class ColumnProtectorTests : IDisposable
{
    private const string Purpose = "Tests.Table.Column";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public ColumnProtectorTests()
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("column-tests").PersistKeysToFileSystem(new DirectoryInfo(_folder));
        services.AddSingleton<ColumnProtector>();
        services.AddSingleton<ColumnKeyRotation>();
        _services = services.BuildServiceProvider();
    }

    private ColumnKeyRotation Rotation() => _services.GetRequiredService<ColumnKeyRotation>();

    private ColumnProtector Protector => _services.GetRequiredService<ColumnProtector>();

    [Fact]
    public void Protect_ThenUnprotect_GivesTheValueBack_AndTheEnvelopeNamesTheKeyButNotTheValue()
    {
        const string secret = "https://partner.example/hooks/T0KEN-s3cret";

        var stored = Protector.Protect(Purpose, secret);

        Assert.StartsWith(ColumnProtector.PrefixFor(Protector.CurrentKeyId()), stored, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", stored, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(stored, Protector.Protect(Purpose, secret));
        Assert.Equal(secret, Protector.Unprotect(Purpose, stored));
        Assert.True(stored.Length <= ColumnProtector.MaxLength(secret.Length));
    }

    [Fact]
    public void Unprotect_OfAnAlteredValue_Throws()
    {
        var stored = Protector.Protect(Purpose, "JBSWY3DPEHPK3PXP");
        var flipped = stored[^3] == 'A' ? 'B' : 'A';
        var altered = stored[..^3] + flipped + stored[^2..];

        Assert.ThrowsAny<CryptographicException>(() => Protector.Unprotect(Purpose, altered));
        Assert.ThrowsAny<CryptographicException>(() => Protector.Unprotect(Purpose, ColumnProtector.Prefix + "not-an-envelope"));
    }

    [Fact]
    public void Unprotect_WithTheKeyIdInClearChanged_Throws()
    {
        var stored = Protector.Protect(Purpose, "JBSWY3DPEHPK3PXP");
        var otherKey = ColumnProtector.PrefixFor(Guid.NewGuid());

        Assert.ThrowsAny<CryptographicException>(() => Protector.Unprotect(Purpose, otherKey + stored[otherKey.Length..]));
    }

    [Fact]
    public void Unprotect_UnderAnotherColumnsPurpose_Throws()
    {
        var stored = Protector.Protect(Purpose, "JBSWY3DPEHPK3PXP");

        Assert.ThrowsAny<CryptographicException>(() => Protector.Unprotect("Tests.Other.Column", stored));
    }

    [Fact]
    public void Unprotect_OfLegacyPlaintext_ReturnsItAsItIs()
    {
        Assert.False(ColumnProtector.IsProtected("https://partner.example/events"));
        Assert.Equal("https://partner.example/events", Protector.Unprotect(Purpose, "https://partner.example/events"));
        Assert.Null(ColumnProtector.KeyIdOf("https://partner.example/events"));
        Assert.Null(Protector.UnprotectOrNull(Purpose, null));
    }

    [Fact]
    public async Task AfterANewKey_NewValuesUseIt_AndValuesUnderTheOldKeyStayReadable()
    {
        var before = Protector.Protect(Purpose, "recovery-1;recovery-2");
        var oldKey = ColumnProtector.KeyIdOf(before)!.Value;

        var newKey = await Rotation().CreateNewKeyAsync(TestContext.Current.CancellationToken);
        var after = Protector.Protect(Purpose, "recovery-1;recovery-2");

        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(newKey, Protector.CurrentKeyId());
        Assert.Equal(newKey, ColumnProtector.KeyIdOf(after));
        Assert.Equal("recovery-1;recovery-2", Protector.Unprotect(Purpose, before));
        Assert.Equal("recovery-1;recovery-2", Protector.Unprotect(Purpose, after));
    }

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
