using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.ServiceDefaults.DataProtection;

/// <summary>
/// ASP.NET Core Data Protection keys (cookies, antiforgery tokens, reset links) kept in the service's own database,
/// so they survive a restart and every instance of the service reads the same key ring; each key's secret is
/// encrypted with AES-256-GCM under a key-encryption key the database does not hold.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>The key-encryption key: 32 bytes, base64.</summary>
    public const string KeyEncryptionKeySetting = "DataProtection:KeyEncryptionKey";

    /// <summary>
    /// Persists the keys to <typeparamref name="TContext"/> under <paramref name="applicationName"/> and encrypts them
    /// with <c>DataProtection:KeyEncryptionKey</c>. Development without one generates a key once into
    /// <c>{Database:DataDirectory}/keys/data-protection.key</c>; any other environment refuses to start without it.
    /// </summary>
    public static IDataProtectionBuilder AddDataProtectionKeys<TContext>(this IHostApplicationBuilder builder, string applicationName)
        where TContext : DbContext, IDataProtectionKeyContext
    {
        var keyEncryptionKey = LoadKeyEncryptionKey(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(new KeyEncryptionKey(keyEncryptionKey));
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(applicationName)
            .PersistKeysToDbContext<TContext>();
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlEncryptor = new AesGcmXmlEncryptor(services.GetRequiredService<KeyEncryptionKey>())));
        return dataProtection;
    }

    private static byte[] LoadKeyEncryptionKey(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[KeyEncryptionKeySetting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Validate(configured, KeyEncryptionKeySetting);
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"'{KeyEncryptionKeySetting}' is not set: the Data Protection keys in the database must be encrypted with a 256-bit key (base64) kept outside it.");
        }

        var directory = Path.GetFullPath(Path.Combine(configuration[DatabaseSettings.DataDirectoryKey] ?? "data", "keys"), environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "data-protection.key");
        if (!File.Exists(file))
        {
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, file);
            }
            catch (IOException)
            {
                // Another instance wrote it first: use theirs.
                File.Delete(temp);
            }
        }

        return Validate(File.ReadAllText(file).Trim(), file);
    }

    private static byte[] Validate(string base64, string source)
    {
        var key = new byte[32];
        if (!Convert.TryFromBase64String(base64, key, out var length) || length != 32)
        {
            throw new InvalidOperationException($"The key-encryption key in '{source}' must be 32 bytes, base64-encoded.");
        }

        return key;
    }
}

/// <summary>The key that encrypts the Data Protection keys at rest (a singleton of the service).</summary>
public sealed class KeyEncryptionKey(byte[] key)
{
    internal byte[] Key { get; } = key;

    /// <summary>Names the key without revealing it, so a decryption with the wrong key says so.</summary>
    internal string Id { get; } = Convert.ToHexString(SHA256.HashData(key), 0, 8);

    /// <summary>The start of a secret wrapped by <see cref="Wrap"/>.</summary>
    public const string WrappedPrefix = "kek1:";

    /// <summary>
    /// Encrypts a service secret kept outside the database (a key file) with AES-256-GCM under this key, bound to
    /// <paramref name="purpose"/>: <c>kek1:{key id}:base64(nonce ‖ tag ‖ ciphertext)</c>. Unlike the Data Protection
    /// keys, it does not depend on the database, so resetting a database does not lose it.
    /// </summary>
    public string Wrap(ReadOnlySpan<byte> secret, string purpose)
    {
        var output = new byte[AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize + secret.Length];
        var nonce = output.AsSpan(0, AesGcmXmlEncryptor.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(Key, AesGcmXmlEncryptor.TagSize))
        {
            aes.Encrypt(nonce, secret, output.AsSpan(AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize),
                output.AsSpan(AesGcmXmlEncryptor.NonceSize, AesGcmXmlEncryptor.TagSize), Encoding.UTF8.GetBytes(purpose));
        }

        return $"{WrappedPrefix}{Id}:{Convert.ToBase64String(output)}";
    }

    /// <summary>Decrypts what <see cref="Wrap"/> gave for the same purpose; throws <see cref="CryptographicException"/> otherwise.</summary>
    public byte[] Unwrap(string wrapped, string purpose)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        var parts = wrapped.Trim().Split(':');
        if (parts.Length != 3 || parts[0] + ":" != WrappedPrefix)
        {
            throw new CryptographicException("The wrapped secret is malformed.");
        }

        if (parts[1] != Id)
        {
            throw new CryptographicException($"The secret was wrapped with another key-encryption key ({parts[1]}, not {Id}).");
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The wrapped secret is malformed.", e);
        }

        if (input.Length < AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize)
        {
            throw new CryptographicException("The wrapped secret is malformed.");
        }

        var secret = new byte[input.Length - AesGcmXmlEncryptor.NonceSize - AesGcmXmlEncryptor.TagSize];
        using var aes = new AesGcm(Key, AesGcmXmlEncryptor.TagSize);
        aes.Decrypt(input.AsSpan(0, AesGcmXmlEncryptor.NonceSize), input.AsSpan(AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize),
            input.AsSpan(AesGcmXmlEncryptor.NonceSize, AesGcmXmlEncryptor.TagSize), secret, Encoding.UTF8.GetBytes(purpose));
        return secret;
    }
}

/// <summary>
/// Encrypts a key's secret element with AES-256-GCM: <c>&lt;aesGcm keyId="…"&gt;base64(nonce ‖ tag ‖ ciphertext)&lt;/aesGcm&gt;</c>.
/// </summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("aesGcm", new XAttribute("keyId", key.Id), Convert.ToBase64String(output));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="AesGcmXmlEncryptor"/> wrote; Data Protection creates it with the service provider.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetRequiredService<KeyEncryptionKey>();
        if ((string?)encryptedElement.Attribute("keyId") != key.Id)
        {
            throw new CryptographicException(
                $"This Data Protection key was encrypted with another key-encryption key ({(string?)encryptedElement.Attribute("keyId")}, not {key.Id}).");
        }

        var input = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[input.Length - AesGcmXmlEncryptor.NonceSize - AesGcmXmlEncryptor.TagSize];
        using (var aes = new AesGcm(key.Key, AesGcmXmlEncryptor.TagSize))
        {
            aes.Decrypt(input.AsSpan(0, AesGcmXmlEncryptor.NonceSize),
                input.AsSpan(AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize),
                input.AsSpan(AesGcmXmlEncryptor.NonceSize, AesGcmXmlEncryptor.TagSize),
                plaintext);
        }

        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
