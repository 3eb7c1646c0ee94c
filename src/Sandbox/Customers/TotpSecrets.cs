using System.Security.Cryptography;
using System.Text;
using OpenBanking.ServiceDefaults.DataProtection;

namespace OpenBanking.Sandbox.Customers;

/// <summary>
/// Test customers' TOTP secrets: an HMAC of the tenant's organisation and the username under a server key, so they
/// cannot be computed from the (public) organisation id, and a reset of the tenant keeps them (the partner's
/// authenticator keeps working). The key is <c>Sandbox:TotpKey</c> (base64, 32 bytes) or, if unset, one generated once
/// and kept in <c>{Database:DataDirectory}/keys/totp.key</c> wrapped (AES-256-GCM) under the key-encryption key
/// <c>DataProtection:KeyEncryptionKey</c>, never in plaintext; several instances must share it (configure it).
/// </summary>
public sealed class TotpSecrets(byte[] key)
{
    public const string ConfigurationKey = "Sandbox:TotpKey";

    /// <summary>What the wrapped key file is bound to (the GCM associated data).</summary>
    internal const string WrapPurpose = "OpenBanking.Sandbox.TotpKey";

    public string For(string organisationId, string username)
    {
        // Organisation ids compared without case, as GUIDs are: one tenant, one secret per customer.
        var input = Encoding.UTF8.GetBytes(organisationId.ToLowerInvariant() + "\n" + username.ToLowerInvariant());
        return Base32.Encode(HMACSHA256.HashData(key, input).AsSpan(0, 20));
    }

    public static TotpSecrets Load(IConfiguration configuration, string contentRoot, KeyEncryptionKey keyEncryptionKey)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= 32 ? new TotpSecrets(bytes) : throw new InvalidOperationException($"{ConfigurationKey} must be at least 32 bytes (base64).");
        }

        var file = KeyFile(configuration, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (!File.Exists(file))
        {
            // Written to a temporary file and moved, so two instances starting together end with one key.
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temp = WriteTemporary(file, keyEncryptionKey.Wrap(fresh, WrapPurpose));
            try
            {
                File.Move(temp, file, overwrite: false);
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(temp);
            }
        }

        var stored = File.ReadAllBytes(file);
        var text = Encoding.ASCII.GetString(stored).Trim();
        if (text.StartsWith(KeyEncryptionKey.WrappedPrefix, StringComparison.Ordinal))
        {
            return new TotpSecrets(keyEncryptionKey.Unwrap(text, WrapPurpose));
        }

        // A key file from before it was wrapped (32 raw bytes): the same key, wrapped in place, so every secret derived
        // from it (partners' authenticators) stays the same.
        if (stored.Length != 32)
        {
            throw new InvalidOperationException($"The TOTP key file '{file}' is neither a wrapped key nor a 32-byte key.");
        }

        File.Move(WriteTemporary(file, keyEncryptionKey.Wrap(stored, WrapPurpose)), file, overwrite: true);
        return new TotpSecrets(stored);
    }

    internal static string KeyFile(IConfiguration configuration, string contentRoot)
        => Path.Combine(Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", contentRoot), "keys", "totp.key");

    private static string WriteTemporary(string file, string contents)
    {
        var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, contents);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return temp;
    }
}
