using System.Security.Cryptography;
using System.Text;

namespace OpenBanking.Sandbox.Customers;

/// <summary>RFC 6238 time-based one-time passwords: HMAC-SHA1, 30-second steps, 6 digits.</summary>
public static class Totp
{
    public static string Compute(string base32Secret, DateTimeOffset at)
        => Code(Base32.Decode(base32Secret), StepOf(at));

    public static long StepOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    /// <summary>Accepts the current step and one either side, for clock drift; compares in constant time.</summary>
    public static bool Verify(string base32Secret, string code, DateTimeOffset now) => MatchStep(base32Secret, code, now) is not null;

    /// <summary>The time step whose code <paramref name="code"/> is (current one or either side), or null.</summary>
    public static long? MatchStep(string base32Secret, string code, DateTimeOffset now)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var key = Base32.Decode(base32Secret);
        var step = StepOf(now);
        long? matched = null;
        for (var drift = -1; drift <= 1; drift++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(key, step + drift)), Encoding.ASCII.GetBytes(code)))
            {
                matched = step + drift;
            }
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
}
