using OpenBanking.ServiceDefaults.Privacy;

namespace OpenBanking.Platform.Tests.Privacy;

/// <summary>The safety net on every log line: what it masks, and the ordinary values it must leave alone.</summary>
public sealed class LogScrubberTests
{
    private static readonly Pseudonymizer Pseudonyms = new(Pseudonymizer.DevelopmentKey);
    private readonly LogScrubber _scrubber = new(Pseudonyms);

    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://localhost:5001/connect/authorize?client_id=demo-wallet&code=Sk3cr3tCode_x&state=s1 - - -", "Sk3cr3tCode_x")]
    [InlineData("POST /connect/token grant_type=refresh_token&refresh_token=rt-0123456789abcdef&client_secret=wallet-secret-42", "rt-0123456789abcdef")]
    [InlineData("POST /connect/token grant_type=refresh_token&refresh_token=rt-0123456789abcdef&client_secret=wallet-secret-42", "wallet-secret-42")]
    [InlineData("form username=alice&password=Hunter2-pass&otp=482913&decision=approve", "Hunter2-pass")]
    [InlineData("form username=alice&password=Hunter2-pass&otp=482913&decision=approve", "482913")]
    [InlineData("GET /connect/authorize?login_hint=someone%40example.org&request=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "someone")]
    [InlineData("The request was extracted: {\"client_id\": \"demo-wallet\", \"client_secret\": \"s3cr3t-value\", \"access_token\": \"opaque-AT-9f8e7d\"}", "s3cr3t-value")]
    [InlineData("The request was extracted: {\"client_id\": \"demo-wallet\", \"client_secret\": \"s3cr3t-value\", \"access_token\": \"opaque-AT-9f8e7d\"}", "opaque-AT-9f8e7d")]
    [InlineData("{\"otp\": 739201, \"id_token\": \"x\"}", "739201")]
    [InlineData("Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA")]
    [InlineData("Authorization: Basic ZGVtby13YWxsZXQ6ZGVtby13YWxsZXQtc2VjcmV0", "ZGVtby13YWxsZXQ6ZGVtby13YWxsZXQtc2VjcmV0")]
    [InlineData("token eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl rejected", "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9")]
    [InlineData("Partner account registered for Nia.Owner+test@new-wallet.example", "Nia.Owner+test@new-wallet.example")]
    [InlineData("Creditor 20-45-77 41234567 paid", "41234567")]
    [InlineData("Creditor 204577 41234567 paid", "204577")]
    [InlineData("CreditorAccount Identification 20457741234567 SortCodeAccountNumber", "20457741234567")]
    [InlineData("Pay to GB29NWBK60161331926819 today", "GB29NWBK60161331926819")]
    [InlineData("Pay to GB29 NWBK 6016 1331 9268 19 EUR", "6016 1331 9268 19")]
    [InlineData("Card 4111 1111 1111 1111 declined", "4111 1111 1111 1111")]
    [InlineData("Card 4111111111111111 declined", "4111111111111111")]
    [InlineData("Data Source=db;User Id=sa;Password=P@ssw0rd!;", "P@ssw0rd!")]
    public void Scrub_MasksSensitiveValues(string line, string secret)
    {
        var scrubbed = _scrubber.Scrub(line);

        Assert.DoesNotContain(secret, scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Consent aac-3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d authorised for demo-wallet")]
    [InlineData("Payment 12345678-1234-1234-1234-123456789012 of 1234567.89 GBP booked")]
    [InlineData("Request finished HTTP/1.1 GET http://localhost:5002/open-banking/v3.1/aisp/accounts - 200 1523 application/json 12.3456ms")]
    [InlineData("Executed DbCommand (3ms) [Parameters=[@p0='?' (DbType = Guid)], CommandType='Text', CommandTimeout='30']")]
    [InlineData("Tenant generated: 5 customers, 12 accounts, 4302 transactions in 812 ms (total 1034 ms)")]
    [InlineData("Scopes requested: openid accounts offline_access; response_type=code; code_challenge_method=S256")]
    [InlineData("ReadAccountsBasic ReadBalances for interaction 0b3b2d5e-0000-4000-8000-000000000001")]
    [InlineData("Status code: 404 after 2 attempts; Basic authentication is not enabled")]
    [InlineData("Event 42 delivered at 2026-12-03T21:05:12.3456789Z to https://localhost:5005/callback")]
    public void Scrub_LeavesOrdinaryValuesAlone(string line)
    {
        Assert.Same(line, _scrubber.Scrub(line));
    }

    [Fact]
    public void Scrub_KeepsTheParameterNames_AndReplacesOnlyTheValues()
    {
        var scrubbed = _scrubber.Scrub("GET /cb?code=abc123XYZ&state=s-1&client_id=demo-wallet");

        Assert.Equal("GET /cb?code=[redacted]&state=s-1&client_id=demo-wallet", scrubbed);
    }

    [Fact]
    public void Scrub_PseudonymisesEmails_TheSameWayWhetherEncodedOrNot()
    {
        var plain = _scrubber.Scrub("sign-in for Ana@Example.org");
        var encoded = _scrubber.Scrub("redirect /login?ReturnUrl=%2F&user=ana%40example.org");

        var pseudonym = Pseudonyms.Of("ana@example.org");
        Assert.Equal($"sign-in for [email:{pseudonym}]", plain);
        Assert.Contains($"[email:{pseudonym}]", encoded, StringComparison.Ordinal);
        Assert.DoesNotContain("ana", encoded, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Pseudonyms_DependOnTheKey()
    {
        var other = new Pseudonymizer(new byte[32]);

        Assert.NotEqual(Pseudonyms.Of("ana@example.org"), other.Of("ana@example.org"));
        Assert.Equal(Pseudonyms.Of("ana@example.org"), Pseudonyms.Of("ana@example.org"));
        Assert.Equal(Pseudonymizer.Length, Pseudonyms.Of("ana@example.org").Length);
    }

    [Theory]
    [InlineData("GB29NWBK60161331926819", true)]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("GB29NWBK60161331926818", false)]
    public void IsIban_ChecksTheCheckDigits(string candidate, bool valid)
    {
        Assert.Equal(valid, LogScrubber.IsIban(candidate));
    }

    [Theory]
    [InlineData("password", true)]
    [InlineData("Client_Secret", true)]
    [InlineData("Email", true)]
    [InlineData("ConsentId", false)]
    [InlineData("ClientId", false)]
    public void IsSensitiveName_NamesSecretsAndPersonalFields(string name, bool sensitive)
    {
        Assert.Equal(sensitive, LogScrubber.IsSensitiveName(name));
    }
}
