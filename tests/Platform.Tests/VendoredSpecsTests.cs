using System.Security.Cryptography;

namespace OpenBanking.Platform.Tests;

/// <summary>
/// specs/ is a copy of the contract in shared/specs. The copy is pinned by specs/SHA256SUMS, committed with it, so the
/// check runs in any clone (CI has no shared/); where shared/ is beside the repository it must still agree.
/// </summary>
public sealed class VendoredSpecsTests
{
    private static readonly string Specs = Path.Combine(RepositoryPaths.Root, "specs");

    public static TheoryData<string> VendoredFiles() => [.. VendoredPaths()];

    [Fact]
    public void EveryVendoredSpecification_HasAChecksum_AndEveryChecksumAFile()
    {
        Assert.NotEmpty(Checksums());
        Assert.Equal(VendoredPaths(), Checksums().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(VendoredFiles))]
    public void VendoredSpecification_MatchesItsCommittedChecksum(string file)
    {
        Assert.True(Checksums().TryGetValue(file, out var expected), $"specs/SHA256SUMS has no checksum for {file}");
        Assert.Equal(expected, Sha256Of(Path.Combine(Specs, file)));
    }

    [Fact]
    public void SharedSpecifications_StillMatchTheVendoredChecksums()
    {
        var shared = Path.Combine(RepositoryPaths.Root, "..", "shared", "specs");
        Assert.SkipUnless(Directory.Exists(shared), "shared/specs is not beside this clone; the committed checksums are checked instead");
        foreach (var (file, checksum) in Checksums())
        {
            Assert.True(File.Exists(Path.Combine(shared, file)), $"shared/specs has no {file}");
            Assert.Equal(checksum, Sha256Of(Path.Combine(shared, file)));
        }
    }

    private static List<string> VendoredPaths()
        => [.. Directory.EnumerateFiles(Specs, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Specs, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>specs/SHA256SUMS in <c>sha256sum</c>'s format: "hash  path" per line.</summary>
    private static Dictionary<string, string> Checksums()
        => File.ReadAllLines(Path.Combine(Specs, "SHA256SUMS"))
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1].Trim(), parts => parts[0], StringComparer.Ordinal);

    /// <summary>The checksum of the file's bytes (specs/.gitattributes keeps git from converting their line ends).</summary>
    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
