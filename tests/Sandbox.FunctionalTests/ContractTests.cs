using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Real responses of every AIS endpoint, for every persona and for Detail and Basic permission sets, validated
/// against the schemas of shared/specs/obie-v3.1.11/account-info-openapi.yaml.
/// </summary>
public sealed class ContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Detail = "ReadAccountsDetail ReadBalances ReadTransactionsDetail ReadTransactionsCredits ReadTransactionsDebits "
        + "ReadBeneficiariesDetail ReadDirectDebits ReadStandingOrdersDetail ReadScheduledPaymentsDetail ReadStatementsDetail "
        + "ReadProducts ReadOffers ReadParty ReadPartyPSU ReadPAN";

    private const string Basic = "ReadAccountsBasic ReadBalances ReadTransactionsBasic ReadTransactionsDebits ReadBeneficiariesBasic "
        + "ReadDirectDebits ReadStandingOrdersBasic ReadScheduledPaymentsBasic ReadStatementsBasic ReadProducts ReadOffers ReadParty ReadPartyPSU";

    private static readonly OpenApiContract Spec = OpenApiContract.Load("obie-v3.1.11/account-info-openapi.yaml");

    private readonly SandboxClient _sandbox = new(factory);

    public static TheoryData<string, string> PersonasAndPermissions()
    {
        var data = new TheoryData<string, string>();
        foreach (var persona in new[] { "alice", "bob", "carol", "dave", "erin" })
        {
            data.Add(persona, "Detail");
            data.Add(persona, "Basic");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PersonasAndPermissions))]
    public async Task EveryAisResponse_FollowsTheSpecification(string persona, string permissionSet)
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync(permissionSet == "Detail" ? Detail : Basic, username: persona,
            clientId: "wallet-contract", organisationId: "org-contract");

        var checks = new List<(string Template, string Path)>
        {
            ("/accounts", "/accounts"), ("/balances", "/balances"), ("/transactions", "/transactions"),
            ("/beneficiaries", "/beneficiaries"), ("/direct-debits", "/direct-debits"), ("/standing-orders", "/standing-orders"),
            ("/scheduled-payments", "/scheduled-payments"), ("/statements", "/statements"), ("/products", "/products"),
            ("/offers", "/offers"), ("/party", "/party"),
        };
        foreach (var account in accounts)
        {
            checks.AddRange(
            [
                ("/accounts/{AccountId}", $"/accounts/{account}"),
                ("/accounts/{AccountId}/balances", $"/accounts/{account}/balances"),
                ("/accounts/{AccountId}/transactions", $"/accounts/{account}/transactions"),
                ("/accounts/{AccountId}/beneficiaries", $"/accounts/{account}/beneficiaries"),
                ("/accounts/{AccountId}/direct-debits", $"/accounts/{account}/direct-debits"),
                ("/accounts/{AccountId}/standing-orders", $"/accounts/{account}/standing-orders"),
                ("/accounts/{AccountId}/scheduled-payments", $"/accounts/{account}/scheduled-payments"),
                ("/accounts/{AccountId}/statements", $"/accounts/{account}/statements"),
                ("/accounts/{AccountId}/product", $"/accounts/{account}/product"),
                ("/accounts/{AccountId}/offers", $"/accounts/{account}/offers"),
                ("/accounts/{AccountId}/party", $"/accounts/{account}/party"),
                ("/accounts/{AccountId}/parties", $"/accounts/{account}/parties"),
            ]);
        }

        foreach (var (template, path) in checks)
        {
            var (status, body) = await _sandbox.GetAsync(token, SandboxClient.Aisp + path);
            Assert.True(status == HttpStatusCode.OK, $"{path} answered {status}");
            Spec.AssertResponse(template, "get", 200, body);
            AssertItemsFollow(body, permissionSet);

            if (template == "/accounts/{AccountId}/statements")
            {
                foreach (var statement in body.GetProperty("Data").GetProperty("Statement").EnumerateArray().Take(2))
                {
                    var id = statement.GetProperty("StatementId").GetString();
                    var (oneStatus, one) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}{path}/{id}");
                    Assert.Equal(HttpStatusCode.OK, oneStatus);
                    Spec.AssertResponse("/accounts/{AccountId}/statements/{StatementId}", "get", 200, one);
                    var (txStatus, transactions) = await _sandbox.GetAsync(token, $"{SandboxClient.Aisp}{path}/{id}/transactions");
                    Assert.Equal(HttpStatusCode.OK, txStatus);
                    Spec.AssertResponse("/accounts/{AccountId}/statements/{StatementId}/transactions", "get", 200, transactions);
                }
            }
        }
    }

    [Theory]
    [InlineData("""{"Data":{"Account":[{"AccountId":"a","Currency":"gbp","AccountType":"Personal","AccountSubType":"CurrentAccount"}]},"Links":{"Self":"http://x/"},"Meta":{}}""", "pattern")]
    [InlineData("""{"Data":{"Account":[]},"Links":{"Self":"http://x/"},"Meta":{},"Extra":1}""", "Extra")]
    [InlineData("""{"Data":{"Account":[{"AccountId":"a","Currency":"GBP","AccountType":"Personal","AccountSubType":"CurrentAccount","OpeningDate":"yesterday"}]},"Links":{"Self":"http://x/"},"Meta":{}}""", "format")]
    public void Validator_CatchesBodiesThatBreakTheSchema(string json, string expected)
    {
        var errors = Spec.Validate("OBReadAccount6", JsonDocument.Parse(json).RootElement);

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Validator_HoldsItemsToTheirBasicSchema()
    {
        var errors = Spec.Validate("OBAccount6Basic", JsonDocument.Parse("""{"AccountId":"a","Currency":"GBP","AccountType":"Personal"}""").RootElement);

        Assert.Contains(errors, e => e.Contains("AccountSubType", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsentResponses_FollowTheSpecification()
    {
        using var client = _sandbox.Client(SandboxFactory.ClientToken());
        using var created = await client.PostAsync($"{SandboxClient.Aisp}/account-access-consents", new StringContent(
            """{"Data":{"Permissions":["ReadAccountsDetail","ReadTransactionsBasic","ReadTransactionsCredits"],"ExpirationDateTime":"2099-01-01T00:00:00Z","TransactionFromDateTime":"2025-01-01T00:00:00Z"},"Risk":{}}""",
            Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var (_, read) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/{body.GetProperty("Data").GetProperty("ConsentId").GetString()}");

        Spec.AssertResponse("/account-access-consents", "post", 201, body);
        Spec.AssertResponse("/account-access-consents/{ConsentId}", "get", 200, read);
    }

    /// <summary>The response schemas are loose; each item must also follow the Basic or Detail schema its permission gives.</summary>
    private static void AssertItemsFollow(JsonElement body, string permissionSet)
    {
        var itemSchemas = new Dictionary<string, string>
        {
            ["Account"] = "OBAccount6", ["Transaction"] = "OBTransaction6", ["Beneficiary"] = "OBBeneficiary5",
            ["StandingOrder"] = "OBStandingOrder6", ["ScheduledPayment"] = "OBScheduledPayment3", ["Statement"] = "OBStatement2",
        };
        foreach (var property in body.GetProperty("Data").EnumerateObject())
        {
            if (itemSchemas.TryGetValue(property.Name, out var schema))
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    var errors = Spec.Validate(schema + permissionSet, item);
                    Assert.True(errors.Count == 0, $"{property.Name} against {schema}{permissionSet}:\n{string.Join("\n", errors.Take(10))}\n{item}");
                }
            }
        }
    }

    [Fact]
    public async Task ErrorBodies_FollowTheSpecification()
    {
        using var client = _sandbox.Client(SandboxFactory.ClientToken());
        using var invalid = await client.PostAsync($"{SandboxClient.Aisp}/account-access-consents",
            new StringContent("""{"Data":{"Permissions":["ReadBalances"]}}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var (_, notFound) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.Aisp}/account-access-consents/nope");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Spec.AssertResponse("/account-access-consents", "post", 400, await invalid.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
        Spec.AssertResponse("/account-access-consents/{ConsentId}", "get", 400, notFound);
    }
}
