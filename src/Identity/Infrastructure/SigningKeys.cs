using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// The authorization server's signing and encryption certificates. Production names certificate files
/// (<c>Identity:SigningCertificatePath</c>, <c>Identity:EncryptionCertificatePath</c>, with passwords). Without
/// them, a certificate is generated once into <c>Identity:KeysDirectory</c> (default: the data folder) and reused,
/// so tokens survive a restart — unlike ephemeral keys.
/// </summary>
internal static class SigningKeys
{
    /// <summary>The algorithms tokens may be signed with (FAPI 2.0 Security Profile §5.4.1; EdDSA is not in IdentityModel).</summary>
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>
    /// The credentials tokens are signed with: <c>Identity:SigningAlgorithm</c> <c>PS256</c> (default; an RSA key, so a
    /// certificate generated or configured for RS256 keeps its key id and keeps working) or <c>ES256</c> (a P-256 key;
    /// generated into its own file, <c>signing-es256.pfx</c>).
    /// </summary>
    public static SigningCredentials LoadSigningCredentials(IConfiguration configuration, string contentRoot)
    {
        var algorithm = configuration["Identity:SigningAlgorithm"] is { Length: > 0 } configured ? configured : SecurityAlgorithms.RsaSsaPssSha256;
        if (!Algorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Identity:SigningAlgorithm must be {string.Join(" or ", Algorithms)}, not '{algorithm}'.");
        }

        var elliptic = algorithm == SecurityAlgorithms.EcdsaSha256;
        var certificate = Load(configuration, contentRoot, "Signing", elliptic ? "signing-es256.pfx" : "signing.pfx", elliptic);
        SecurityKey key = elliptic && certificate.GetECDsaPrivateKey() is { } ecdsa
            ? new ECDsaSecurityKey(ecdsa) { KeyId = certificate.Thumbprint }
            : new X509SecurityKey(certificate);
        if (!key.IsSupportedAlgorithm(algorithm) || (elliptic && ((ECDsaSecurityKey)key).ECDsa.KeySize != 256))
        {
            throw new InvalidOperationException(
                $"The signing certificate cannot sign with {algorithm} (Identity:SigningAlgorithm): PS256 needs an RSA key, ES256 a P-256 key.");
        }

        return new SigningCredentials(key, algorithm);
    }

    public static X509Certificate2 Load(IConfiguration configuration, string contentRoot, string purpose)
        => Load(configuration, contentRoot, purpose, $"{purpose.ToLowerInvariant()}.pfx", elliptic: false);

    private static X509Certificate2 Load(IConfiguration configuration, string contentRoot, string purpose, string fileName, bool elliptic)
    {
        var path = configuration[$"Identity:{purpose}CertificatePath"];
        var password = configuration[$"Identity:{purpose}CertificatePassword"];
        if (!string.IsNullOrWhiteSpace(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }

        var file = WriteOnce(configuration, contentRoot, fileName,
            () => (elliptic ? GenerateEcdsa(purpose) : Generate(purpose)).Export(X509ContentType.Pkcs12));
        return X509CertificateLoader.LoadPkcs12FromFile(file, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }

    /// <summary>
    /// A 256-bit secret of the server (e.g. the pairwise-subject key): <c>Identity:{name}</c> (base64) when configured,
    /// else generated once into the keys folder, so what it derives stays stable across restarts.
    /// </summary>
    public static byte[] LoadSecret(IConfiguration configuration, string contentRoot, string name)
    {
        var configured = configuration[$"Identity:{name}"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Convert.FromBase64String(configured);
        }

        var file = WriteOnce(configuration, contentRoot, $"{name.ToLowerInvariant()}.key", () => RandomNumberGenerator.GetBytes(32));
        return File.ReadAllBytes(file);
    }

    private static string WriteOnce(IConfiguration configuration, string contentRoot, string fileName, Func<byte[]> generate)
    {
        var directory = configuration["Identity:KeysDirectory"];
        if (string.IsNullOrWhiteSpace(directory))
        {
            directory = Path.Combine(configuration["Database:DataDirectory"] ?? "data", "keys");
        }

        directory = Path.GetFullPath(directory, contentRoot);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, fileName);
        if (!File.Exists(file))
        {
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, generate());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            // Another instance may have raced us; the first file written wins.
            try
            {
                File.Move(temp, file);
            }
            catch (IOException)
            {
                File.Delete(temp);
            }
        }

        return file;
    }

    private static X509Certificate2 GenerateEcdsa(string purpose)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=OpenBanking Identity {purpose}", ecdsa, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
    }

    private static X509Certificate2 Generate(string purpose)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(
            $"CN=OpenBanking Identity {purpose}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = purpose == "Signing" ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
    }
}
