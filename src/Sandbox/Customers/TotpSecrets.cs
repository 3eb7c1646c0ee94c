using System.Security.Cryptography;
using System.Text;

namespace OpenBanking.Sandbox.Customers;

/// <summary>
/// Test customers' TOTP secrets: an HMAC of the tenant's organisation and the username under a server key, so they
/// cannot be computed from the (public) organisation id, and a reset of the tenant keeps them (the partner's
/// authenticator keeps working). The key is <c>Sandbox:TotpKey</c> (base64, 32 bytes) or, if unset, one generated once
/// and kept in <c>{Database:DataDirectory}/keys/totp.key</c>; several instances must share it (configure it).
/// </summary>
public sealed class TotpSecrets(byte[] key)
{
    public const string ConfigurationKey = "Sandbox:TotpKey";

    public string For(string organisationId, string username)
    {
        // Organisation ids compared without case, as GUIDs are: one tenant, one secret per customer.
        var input = Encoding.UTF8.GetBytes(organisationId.ToLowerInvariant() + "\n" + username.ToLowerInvariant());
        return Base32.Encode(HMACSHA256.HashData(key, input).AsSpan(0, 20));
    }

    public static TotpSecrets Load(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= 32 ? new TotpSecrets(bytes) : throw new InvalidOperationException($"{ConfigurationKey} must be at least 32 bytes (base64).");
        }

        var directory = Path.Combine(Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", contentRoot), "keys");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "totp.key");
        if (!File.Exists(file))
        {
            // Written to a temporary file and moved, so two instances starting together end with one key.
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, file, overwrite: false);
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(temp);
            }
        }

        return new TotpSecrets(File.ReadAllBytes(file));
    }
}
