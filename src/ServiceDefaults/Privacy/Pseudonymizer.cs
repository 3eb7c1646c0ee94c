using System.Security.Cryptography;
using System.Text;

namespace OpenBanking.ServiceDefaults.Privacy;

/// <summary>
/// Turns a personal value into a short keyed hash (HMAC-SHA256, first 8 bytes as hex): the same value gives the same
/// pseudonym in every service sharing the key, so log lines about one person can still be correlated, but without
/// the key the value cannot be guessed back (a plain hash of an email address can, by hashing candidate addresses).
/// </summary>
public sealed class Pseudonymizer
{
    /// <summary>The configuration key of the base64 HMAC key (at least 32 bytes).</summary>
    public const string KeyConfigurationKey = "Privacy:LogPseudonymKey";

    /// <summary>Development's key: pseudonyms there are stable across restarts and services without configuring anything.</summary>
    public static readonly byte[] DevelopmentKey = SHA256.HashData("openbanking-development-log-pseudonyms"u8);

    /// <summary>Characters of a pseudonym: 16 hex digits.</summary>
    public const int Length = 16;

    private readonly byte[] _key;

    /// <summary>A pseudonymizer keyed with <paramref name="key"/> (at least 32 bytes).</summary>
    public Pseudonymizer(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The log pseudonym key must be at least 32 bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Writes the pseudonym of <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="Length"/> chars).</summary>
    public void Write(ReadOnlySpan<char> value, Span<char> destination)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(value, bytes);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, bytes, mac);
        Convert.TryToHexStringLower(mac[..(Length / 2)], destination, out _);
    }

    /// <summary>The pseudonym of <paramref name="value"/>.</summary>
    public string Of(ReadOnlySpan<char> value)
        => string.Create(Length, value.ToString(), (span, text) => Write(text, span));
}
