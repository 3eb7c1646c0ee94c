using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Payee;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.FunctionalTests.Payee;

/// <summary>
/// Confirmation of Payee on the real Sandbox and SQLite: the partner's own accounts and the seeded directory, each
/// outcome, one partner's accounts never answered for another, bad input named field by field, the consent journey's
/// answer before the customer approves, and the risk finding a payment to a name that does not match earns.
/// </summary>
public sealed class ConfirmationOfPayeeTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private readonly PaymentsClient _payments = new(factory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewOrganisation() => "org-cop-" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData("30963412345678", "Mr J Smith", "Personal", true, null, null)]
    [InlineData("30963412345678", "Jon Smyth", "Personal", false, "MBAM", "John Smith")]
    [InlineData("30963412345678", "Jane Doe", "Personal", false, "ANNM", null)]
    [InlineData("30963412345678", "John Smith", "Business", false, "PANM", "John Smith")]
    [InlineData("30963487654321", "Acme Plumbing", "Personal", false, "BANM", "Acme Plumbing Ltd")]
    [InlineData("30963499999999", "John Smith", "Personal", false, "AC01", null)]
    [InlineData("11080211111111", "Priya Patel", "Personal", false, "OPTO", null)]
    [InlineData("07011622222222", "Oliver Jones", "Personal", false, "CASS", null)]
    [InlineData("09012833333333", "Emma Wilson", "Personal", false, "ACNS", null)]
    [InlineData("07043644444444", "Grace Taylor", "Personal", false, "IVCR", null)]
    [InlineData("20000012345678", "Jane Smith", "Personal", false, "SCNS", null)]
    public async Task NameVerify_AnswersTheDirectorysScenarios(string identification, string name, string type, bool matched, string? reason, string? holder)
    {
        var report = await VerifyOkAsync(App(NewOrganisation()), identification, name, type);

        Assert.Equal(matched, report.GetProperty("Matched").GetBoolean());
        Assert.Equal(reason, Text(report, "ReasonCode"));
        Assert.Equal(holder, Text(report, "Name"));
    }

    [Fact]
    public async Task NameVerify_ARollNumberGiven_MatchesTheBuildingSocietyAccount()
    {
        using var app = App(NewOrganisation());
        using var response = await app.PostAsJsonAsync(ConfirmationOfPayeeApi.Path, new
        {
            Data = new { SchemeName = "SortCodeAccountNumber", AccountType = "Personal", Identification = "07043644444444", Name = "Grace Taylor", SecondaryIdentification = "ROLL-1234/5" },
        }, Ct);
        var report = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("Data").GetProperty("VerificationReport");
        Assert.True(report.GetProperty("Matched").GetBoolean());
    }

    [Fact]
    public async Task NameVerify_ThePartnersOwnAccounts_AnswerWithTheHoldersName_AndNeverForAnotherPartner()
    {
        var mine = NewOrganisation();
        var theirs = NewOrganisation();
        var erin = await IdentificationAsync("erin", mine);
        var alice = await IdentificationAsync("alice", mine);
        Assert.NotEqual(erin, await IdentificationAsync("erin", theirs));

        using var app = App(mine);
        Assert.True((await VerifyOkAsync(app, erin, "Hughes Design Studio", "Business")).GetProperty("Matched").GetBoolean());
        var personal = await VerifyOkAsync(app, alice, "Alice Walker", "Business");
        Assert.Equal(("PANM", "Alice Walker"), (personal.GetProperty("ReasonCode").GetString(), personal.GetProperty("Name").GetString()));

        // The other partner's sandbox bank has no such account: nothing about this partner's customers leaks.
        using var other = App(theirs);
        var report = await VerifyOkAsync(other, erin, "Hughes Design Studio Ltd", "Business");
        Assert.Equal("AC01", report.GetProperty("ReasonCode").GetString());
        Assert.False(report.TryGetProperty("Name", out _));
    }

    [Fact]
    public async Task NameVerify_BadInput_Is400_NamingEveryField()
    {
        using var app = App(NewOrganisation());
        using var response = await app.PostAsJsonAsync(ConfirmationOfPayeeApi.Path, new
        {
            Data = new { SchemeName = "IBAN", AccountType = "Savings", Identification = "30-96-34 1234", Name = " ", SecondaryIdentification = new string('9', 19) },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal(
            ["Data.AccountType", "Data.Identification", "Data.Name", "Data.SchemeName", "Data.SecondaryIdentification"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("14 digits", errors.GetProperty("Data.Identification")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"Data\": 5}")]
    public async Task NameVerify_ABodyThatIsNotARequest_Is400_WithAnExample(string body)
    {
        using var app = App(NewOrganisation());
        using var response = await app.PostAsync(ConfirmationOfPayeeApi.Path, PaymentsClient.Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("SortCodeAccountNumber", errors.GetProperty("Data")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameVerify_NeedsThePaymentsScope()
    {
        using var app = _payments.Sandbox.Client(SandboxFactory.ClientToken(organisationId: NewOrganisation(), scope: PlatformScopes.Accounts));
        using var response = await app.PostAsJsonAsync(ConfirmationOfPayeeApi.Path, Request("30963412345678", "John Smith", "Personal"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("Hughes Design Studio Ltd", "Match", null)]
    [InlineData("Hughes Design Studios", "CloseMatch", "MBAM")]
    [InlineData("Someone Else", "NoMatch", "ANNM")]
    public async Task ConsentJourney_ShowsThePayeeCheck_BeforeTheCustomerApproves(string creditorName, string outcome, string? reason)
    {
        var organisation = NewOrganisation();
        var erin = await IdentificationAsync("erin", organisation);
        var (status, body) = await _payments.CreateConsentAsync(
            PaymentsClient.Initiation("5.00", creditorName: creditorName, creditorIdentification: erin), organisationId: organisation);
        Assert.Equal(HttpStatusCode.Created, status);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        using var identity = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        var summary = await identity.GetFromJsonAsync<JsonElement>($"/internal/consents/{consentId}", Ct);

        var check = summary.GetProperty("Payment").GetProperty("PayeeCheck");
        Assert.Equal(outcome, check.GetProperty("Outcome").GetString());
        Assert.Equal(reason, Text(check, "ReasonCode"));
        Assert.Equal(reason == "MBAM" ? "Hughes Design Studio Ltd" : null, Text(check, "Name"));
    }

    [Fact]
    public async Task StandingOrderConsent_ShowsThePayeeCheck_BeforeTheCustomerApproves()
    {
        var orders = new StandingOrdersClient(_payments, NewOrganisation());
        var now = await orders.FreezeAsync();
        var initiation = StandingOrdersClient.V3Initiation("EvryDay", now.AddDays(1), "\"NumberOfPayments\":\"2\"",
            creditor: StandingOrdersClient.Creditor("Jon Smyth", "30963412345678"));
        var (status, text, body) = await orders.CreateConsentAsync(StandingOrdersClient.V3, StandingOrdersClient.ConsentBody(initiation));
        Assert.True(status == HttpStatusCode.Created, text);

        using var identity = _payments.Sandbox.Client(SandboxFactory.InternalToken());
        var summary = await identity.GetFromJsonAsync<JsonElement>($"/internal/consents/{body.GetProperty("Data").GetProperty("ConsentId").GetString()}", Ct);

        var check = summary.GetProperty("Payment").GetProperty("PayeeCheck");
        Assert.Equal(("CloseMatch", "MBAM", "John Smith"), (Text(check, "Outcome"), Text(check, "ReasonCode"), Text(check, "Name")));
    }

    [Fact]
    public async Task Payment_ToANameThatDoesNotMatch_CarriesTheRiskFinding_AndAMatchingOneDoesNot()
    {
        var organisation = NewOrganisation();
        var erin = await IdentificationAsync("erin", organisation);

        var wrong = await PayAsync(organisation, "Someone Else", erin);
        var right = await PayAsync(organisation, "Hughes Design Studio Ltd", erin);

        Assert.Contains($"ConfirmationOfPayee: the name does not match the account (ANNM) (+{PayeeChecks.NoMatchPoints})", wrong.Reasons, StringComparison.Ordinal);
        Assert.DoesNotContain("ConfirmationOfPayee", right.Reasons, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payment_ToAnAccountThatDoesNotExist_CarriesTheRiskFinding()
    {
        var organisation = NewOrganisation();
        var paid = await PayAsync(organisation, "John Smith", "30963499999999");
        Assert.Contains("ConfirmationOfPayee: the account does not exist (AC01)", paid.Reasons, StringComparison.Ordinal);
    }

    private async Task<(string Reasons, int Score)> PayAsync(string organisation, string creditorName, string identification)
    {
        var (consentId, token, initiation, _) = await _payments.AuthorisedAsync(
            amount: "2.00", creditorName: creditorName, creditorIdentification: identification, organisationId: organisation);
        var (status, text, body) = await _payments.SubmitAsync(token, consentId, initiation);
        Assert.True(status == HttpStatusCode.Created, text);
        var paymentId = body.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
        return await _payments.WithDbAsync(async db => await db.DomesticPayments.AsNoTracking()
            .Where(p => p.Id == paymentId).Select(p => ValueTuple.Create(p.RiskReasons, p.RiskScore)).SingleAsync(Ct));
    }

    /// <summary>A text property, or null when it is absent or null (null properties are left out).</summary>
    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private HttpClient App(string organisation)
        => _payments.Sandbox.Client(SandboxFactory.ClientToken(clientId: "wallet-cop", organisationId: organisation, scope: PlatformScopes.Payments));

    private static object Request(string identification, string name, string type)
        => new { Data = new { SchemeName = "SortCodeAccountNumber", AccountType = type, Identification = identification, Name = name } };

    private static async Task<JsonElement> VerifyOkAsync(HttpClient app, string identification, string name, string type)
    {
        using var response = await app.PostAsJsonAsync(ConfirmationOfPayeeApi.Path, Request(identification, name, type), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("Data").GetProperty("VerificationReport").Clone();
    }

    /// <summary>The customer's GBP sort-code account number in the partner's sandbox bank (created on first use).</summary>
    private async Task<string> IdentificationAsync(string username, string organisation)
    {
        var account = await _payments.AccountAsync(username, organisationId: organisation,
            pick: a => a.GetProperty("SchemeName").GetString() == PayeeChecks.SortCodeScheme);
        var id = account.GetProperty("AccountId").GetString()!;
        return await _payments.WithDbAsync(db => db.Accounts.Where(a => a.Id == id).Select(a => a.Identification).SingleAsync(Ct));
    }
}
