using System.Security.Cryptography;

namespace OpenBanking.Sandbox.Internal;

/// <summary>RFC 6238 time-based one-time passwords: HMAC-SHA1, 30-second steps, 6 digits.</summary>
public static class Totp
{
    public static string Compute(string base32Secret, DateTimeOffset at)
        => Code(Base32Decode(base32Secret), at.ToUnixTimeSeconds() / 30);

    /// <summary>Accepts the current step and one either side, for clock drift; compares in constant time.</summary>
    public static bool Verify(string base32Secret, string code, DateTimeOffset now)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var key = Base32Decode(base32Secret);
        var step = now.ToUnixTimeSeconds() / 30;
        var matched = false;
        for (var drift = -1; drift <= 1; drift++)
        {
            matched |= CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(Code(key, step + drift)), System.Text.Encoding.ASCII.GetBytes(code));
        }

        return matched;
    }

    private static string Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in input.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
