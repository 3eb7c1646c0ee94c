using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace OpenBanking.ServiceDefaults.Encryption;

/// <summary>
/// Encrypts sensitive column values at rest with the service's Data Protection key ring (persisted in its own database,
/// each key encrypted under <c>DataProtection:KeyEncryptionKey</c>): authenticated encryption, one purpose per column, so
/// a value copied into another column does not decrypt there. A stored value is an envelope
/// <c>enc1:{key id}:{base64url(Data Protection payload)}</c>; anything else is legacy plaintext, written before the column
/// was protected, and read as it is until the rotation command rewrites it.
/// </summary>
/// <remarks>
/// The key id in clear lets the rotation command find, with a plain <c>LIKE</c> on either database, the values that are
/// not yet under the current key; it is checked against the (authenticated) payload's own key id when decrypting.
/// </remarks>
public sealed class ColumnProtector
{
    /// <summary>The start of every protected value (version 1 of the envelope).</summary>
    public const string Prefix = "enc1:";

    private const string RootPurpose = "OpenBanking.ColumnProtection.v1";

    // Data Protection's payload: a 4-byte magic header, then the 16-byte id of the key that protected it.
    private const int MagicHeaderLength = 4;
    private const int KeyIdLength = 16;
    private const int KeyIdHexLength = 32;

    private readonly IDataProtector _root;
    private readonly ConcurrentDictionary<string, IDataProtector> _protectors = new(StringComparer.Ordinal);

    /// <summary>Creates the protector over the service's Data Protection keys.</summary>
    public ColumnProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _root = provider.CreateProtector(RootPurpose);
    }

    /// <summary>Whether <paramref name="stored"/> is an envelope (as opposed to legacy plaintext or null).</summary>
    public static bool IsProtected(string? stored) => stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The start every value protected under <paramref name="keyId"/> has (for finding those that are not).</summary>
    public static string PrefixFor(Guid keyId) => $"{Prefix}{keyId:N}:";

    /// <summary>The id of the key a protected value was encrypted with; null for legacy plaintext.</summary>
    public static Guid? KeyIdOf(string? stored)
        => IsProtected(stored) && stored!.Length > Prefix.Length + KeyIdHexLength && Guid.TryParseExact(stored.AsSpan(Prefix.Length, KeyIdHexLength), "N", out var id)
            ? id
            : null;

    /// <summary>
    /// The largest envelope a plaintext of <paramref name="plaintextChars"/> UTF-16 characters can give (UTF-8 worst case,
    /// Data Protection's AES-256-CBC + HMAC-SHA256 overhead), for sizing columns.
    /// </summary>
    public static int MaxLength(int plaintextChars)
    {
        // Magic header, key id, key modifier, IV, padded ciphertext, MAC.
        var payload = MagicHeaderLength + KeyIdLength + 16 + 16 + ((plaintextChars * 3 / 16) + 1) * 16 + 32;
        return Prefix.Length + KeyIdHexLength + 1 + Base64Url.GetEncodedLength(payload);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> for the column named by <paramref name="purpose"/>, under the current key.</summary>
    public string Protect(string purpose, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var bytes = Encoding.UTF8.GetBytes(plaintext);
        try
        {
            var payload = For(purpose).Protect(bytes);
            var keyId = new Guid(payload.AsSpan(MagicHeaderLength, KeyIdLength));
            return PrefixFor(keyId) + Base64Url.EncodeToString(payload);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Decrypts a value of the column named by <paramref name="purpose"/>; legacy plaintext comes back as it is.
    /// Throws <see cref="CryptographicException"/> when the value was altered, belongs to another column, or its key is unknown.
    /// </summary>
    public string Unprotect(string purpose, string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsProtected(stored))
        {
            return stored;
        }

        var keyId = KeyIdOf(stored);
        if (keyId is null || stored.Length <= Prefix.Length + KeyIdHexLength + 1)
        {
            throw new CryptographicException("The protected value is malformed.");
        }

        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(stored.AsSpan(Prefix.Length + KeyIdHexLength + 1));
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The protected value is malformed.", e);
        }

        // The key id in clear is not authenticated: it must name the key the payload says it was made with.
        if (stored[Prefix.Length + KeyIdHexLength] != ':' || payload.Length < MagicHeaderLength + KeyIdLength
            || new Guid(payload.AsSpan(MagicHeaderLength, KeyIdLength)) != keyId)
        {
            throw new CryptographicException("The protected value is malformed.");
        }

        var plaintext = For(purpose).Unprotect(payload);
        try
        {
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Null stays null; otherwise <see cref="Protect"/>.</summary>
    public string? ProtectOrNull(string purpose, string? plaintext) => plaintext is null ? null : Protect(purpose, plaintext);

    /// <summary>Null stays null; otherwise <see cref="Unprotect"/>.</summary>
    public string? UnprotectOrNull(string purpose, string? stored) => stored is null ? null : Unprotect(purpose, stored);

    /// <summary>The id of the key new values are encrypted with now.</summary>
    public Guid CurrentKeyId() => KeyIdOf(Protect("OpenBanking.ColumnProtection.Probe", string.Empty))!.Value;

    private IDataProtector For(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        return _protectors.GetOrAdd(purpose, p => _root.CreateProtector(p));
    }
}
