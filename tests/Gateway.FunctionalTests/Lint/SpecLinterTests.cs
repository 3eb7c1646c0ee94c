using OpenBanking.Gateway.Lint;
using OpenBanking.TestKit;

namespace OpenBanking.Gateway.FunctionalTests.Lint;

/// <summary>The linter alone, against the vendored specifications: paths with indexes, formats, v4.0, truncation.</summary>
public sealed class SpecLinterTests
{
    private static readonly Lazy<SpecLinter> Linter = new(() => new SpecLinter(new SpecCatalog(OpenApiContract.SpecsDirectory())));
    private static readonly KeyValuePair<string, string>[] Headers = [new("Authorization", "Bearer …abc (token not stored)")];

    private static LintInput Input(string method, string route, string? body, int status = 201, bool truncated = false, bool? interactionIdSent = true)
        => new(method, route, status, interactionIdSent, Headers, body, truncated, body?.Length ?? 0, null, false);

    [Fact]
    public void AV4Consent_WithAnUnknownPermissionAndABadDate_NamesTheArrayIndexAndTheFormat()
    {
        var problems = Linter.Value.Lint(Input("POST", "/open-banking/v4.0/aisp/account-access-consents",
            """{"Data":{"Permissions":["ReadAccountsBasic","ReadEverything"],"ExpirationDateTime":"tomorrow"},"Risk":{}}"""))!;

        var enumeration = Assert.Single(problems, p => p.Rule == "schema.enum");
        Assert.Equal("Data.Permissions[1]", enumeration.Path);
        Assert.EndsWith("(sent \"ReadEverything\").", enumeration.Message);
        var format = Assert.Single(problems, p => p.Rule == "schema.format");
        Assert.Equal("Data.ExpirationDateTime", format.Path);
        Assert.Equal("`Data.ExpirationDateTime` is not a valid date-time (sent \"tomorrow\").", format.Message);
    }

    [Fact]
    public void ATruncatedBody_IsLintedForHeadersOnly_AndSaysSo()
    {
        var problems = Linter.Value.Lint(Input("POST", "/open-banking/v3.1/pisp/domestic-payment-consents", "{\"Data\":", truncated: true, interactionIdSent: false))!;
        Assert.Contains(problems, p => p.Rule == "body.truncated" && p.Severity == LintProblem.Warning);
        Assert.Contains(problems, p => p is { Rule: "header.missing", Path: "x-idempotency-key" });
        Assert.Contains(problems, p => p is { Rule: "header.missing", Path: "x-fapi-interaction-id", Severity: LintProblem.Warning });
        Assert.DoesNotContain(problems, p => p.Rule.StartsWith("schema.", StringComparison.Ordinal) || p.Rule == "body.invalid-json");
    }

    [Fact]
    public void AnOperationTheSpecDoesNotHave_IsAWarning_AndTheSandboxControlsAreNotLinted()
    {
        var unknown = Assert.Single(Linter.Value.Lint(Input("PATCH", "/open-banking/v3.1/aisp/accounts", null, 405))!);
        Assert.Equal(("operation.unknown", LintProblem.Warning), (unknown.Rule, unknown.Severity));
        Assert.Null(Linter.Value.Lint(Input("GET", "/sandbox/v1/clock", null, 200)));
    }

    [Fact]
    public void AnIdempotencyKeyOver40Characters_IsReported_WithoutRepeatingItsValue()
    {
        var key = new string('k', 41);
        var input = Input("POST", "/open-banking/v3.1/pisp/domestic-payment-consents", null) with
        {
            RequestHeaders = [.. Headers, new("x-idempotency-key", key)],
        };
        var problem = Assert.Single(Linter.Value.Lint(input)!, p => p.Rule == "header.maxLength");
        Assert.Equal("x-idempotency-key", problem.Path);
        Assert.DoesNotContain(key, problem.Message);
    }

    [Theory]
    [InlineData("/Data/Initiation/InstructedAmount/Amount", "Data.Initiation.InstructedAmount.Amount")]
    [InlineData("/Data/Transaction/3/Amount", "Data.Transaction[3].Amount")]
    [InlineData("/a~1b/c~0d", "a/b.c~d")]
    [InlineData("", null)]
    public void Pointers_BecomeDottedPaths(string pointer, string? dotted) => Assert.Equal(dotted, SpecLinter.Dotted(pointer));
}
