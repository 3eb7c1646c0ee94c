using System.Text;
using OpenBanking.Sandbox.Customers;

namespace OpenBanking.Sandbox.UnitTests;

public sealed class CustomerCredentialsTests
{
    // RFC 6238 appendix B: the SHA-1 key "12345678901234567890"; its 8-digit codes, of which TOTP here shows the last 6.
    private static readonly string RfcSecret = Base32.Encode(Encoding.ASCII.GetBytes("12345678901234567890"));

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_MatchesTheRfc4648Vectors_WithoutPadding_AndDecodesBack(string text, string encoded)
    {
        Assert.Equal(encoded, Base32.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32.Decode(encoded)));
    }

    [Fact]
    public void Base32_Decode_IgnoresCaseAndPadding()
        => Assert.Equal("foobar"u8.ToArray(), Base32.Decode("mzxw6ytboi======"));

    [Theory]
    [InlineData(59, "287082")]
    [InlineData(1111111109, "081804")]
    [InlineData(1234567890, "005924")]
    [InlineData(2000000000, "279037")]
    public void Totp_Compute_MatchesTheRfc6238Vectors(long unixSeconds, string code)
    {
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", RfcSecret);
        Assert.Equal(code, Totp.Compute(RfcSecret, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
    }

    [Fact]
    public void Totp_MatchStep_AcceptsTheCurrentStepAndOneEitherSide_AndSaysWhichStep()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var step = Totp.StepOf(now);

        Assert.Equal(step, Totp.MatchStep(RfcSecret, Totp.Compute(RfcSecret, now), now));
        Assert.Equal(step - 1, Totp.MatchStep(RfcSecret, Totp.Compute(RfcSecret, now.AddSeconds(-30)), now));
        Assert.Equal(step + 1, Totp.MatchStep(RfcSecret, Totp.Compute(RfcSecret, now.AddSeconds(30)), now));
        Assert.Null(Totp.MatchStep(RfcSecret, Totp.Compute(RfcSecret, now.AddSeconds(-60)), now));
        Assert.Null(Totp.MatchStep(RfcSecret, Totp.Compute(RfcSecret, now.AddSeconds(60)), now));
        Assert.True(Totp.Verify(RfcSecret, Totp.Compute(RfcSecret, now), now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData(" 12345")]
    public void Totp_MatchStep_RefusesAnythingButSixDigits(string code)
        => Assert.Null(Totp.MatchStep(RfcSecret, code, DateTimeOffset.FromUnixTimeSeconds(1_800_000_015)));

    [Fact]
    public void PasswordHash_Created_VerifiesItsPassword_AndNoOther()
    {
        var stored = PasswordHash.Create("sandbox", new byte[16]);

        Assert.StartsWith("pbkdf2-sha256$100000$", stored, StringComparison.Ordinal);
        Assert.True(PasswordHash.Verify("sandbox", stored));
        Assert.False(PasswordHash.Verify("Sandbox", stored));
        Assert.False(PasswordHash.Verify("", stored));
    }

    [Fact]
    public void PasswordHash_TheSameSalt_GivesTheSameHash_AnotherSaltAnother()
    {
        Assert.Equal(PasswordHash.Create("sandbox", [1, 2, 3]), PasswordHash.Create("sandbox", [1, 2, 3]));
        Assert.NotEqual(PasswordHash.Create("sandbox", [1, 2, 3]), PasswordHash.Create("sandbox", [1, 2, 4]));
    }

    [Fact]
    public void PasswordHash_Verify_ReadsTheIterationsAndLengthFromTheStoredValue()
    {
        var salt = "c2FsdA=="; // "salt"
        var hash = Convert.ToBase64String(System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            "sandbox", Convert.FromBase64String(salt), 1000, System.Security.Cryptography.HashAlgorithmName.SHA256, 16));

        Assert.True(PasswordHash.Verify("sandbox", $"pbkdf2-sha256$1000${salt}${hash}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sandbox")]
    [InlineData("pbkdf2-sha1$100000$c2FsdA==$AAAA")]
    [InlineData("pbkdf2-sha256$many$c2FsdA==$AAAA")]
    [InlineData("pbkdf2-sha256$100000$c2FsdA==")]
    public void PasswordHash_Verify_RefusesValuesNotInItsFormat(string stored)
        => Assert.False(PasswordHash.Verify("sandbox", stored));
}
