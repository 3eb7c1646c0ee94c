using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Sandbox.FunctionalTests;

/// <summary>
/// Real v4.0 responses of every AIS endpoint, for every persona and for Detail and Basic permission sets, validated
/// against the schemas of specs/obie-v4.0/account-info-openapi.yaml (as ContractTests does for v3.1.11); and the
/// v4.0 codes the bank writes where v4.0 renamed v3.1.11's.
/// </summary>
public sealed class V4AccountInformationContractTests(SandboxFactory factory) : IClassFixture<SandboxFactory>
{
    private const string Detail = "ReadAccountsDetail ReadBalances ReadTransactionsDetail ReadTransactionsCredits ReadTransactionsDebits "
        + "ReadBeneficiariesDetail ReadDirectDebits ReadStandingOrdersDetail ReadScheduledPaymentsDetail ReadStatementsDetail "
        + "ReadProducts ReadOffers ReadParty ReadPartyPSU ReadPAN";

    private const string Basic = "ReadAccountsBasic ReadBalances ReadTransactionsBasic ReadTransactionsDebits ReadBeneficiariesBasic "
        + "ReadDirectDebits ReadStandingOrdersBasic ReadScheduledPaymentsBasic ReadStatementsBasic ReadProducts ReadOffers ReadParty ReadPartyPSU";

    private static readonly OpenApiContract Spec = OpenApiContract.Load("obie-v4.0/account-info-openapi.yaml");

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
    public async Task EveryAisResponse_FollowsTheV4Specification(string persona, string permissionSet)
    {
        var (_, accounts, token) = await _sandbox.AuthorisedAsync(permissionSet == "Detail" ? Detail : Basic, username: persona,
            clientId: "wallet-contract-v4", organisationId: "org-contract-v4", aisp: SandboxClient.AispV4);

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
            var (status, body) = await _sandbox.GetAsync(token, SandboxClient.AispV4 + path);
            Assert.True(status == HttpStatusCode.OK, $"{path} answered {status}");
            Spec.AssertResponse(template, "get", 200, body);
            AssertItemsFollow(body, permissionSet);
            Assert.StartsWith("http://localhost:5002/open-banking/v4.0/aisp/", body.GetProperty("Links").GetProperty("Self").GetString(), StringComparison.Ordinal);

            if (template == "/accounts/{AccountId}/statements")
            {
                foreach (var statement in body.GetProperty("Data").GetProperty("Statement").EnumerateArray().Take(2))
                {
                    var id = statement.GetProperty("StatementId").GetString();
                    var (oneStatus, one) = await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}{path}/{id}");
                    Assert.Equal(HttpStatusCode.OK, oneStatus);
                    Spec.AssertResponse("/accounts/{AccountId}/statements/{StatementId}", "get", 200, one);
                    var (txStatus, transactions) = await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}{path}/{id}/transactions");
                    Assert.Equal(HttpStatusCode.OK, txStatus);
                    Spec.AssertResponse("/accounts/{AccountId}/statements/{StatementId}/transactions", "get", 200, transactions);
                }
            }
        }
    }

    [Fact]
    public async Task V4Codes_ReplaceTheV3Names_OnTheSameData()
    {
        var (_, accounts, v4Token) = await _sandbox.AuthorisedAsync(Detail, username: "alice", clientId: "wallet-codes", organisationId: "org-codes",
            pick: CurrentAccount, aisp: SandboxClient.AispV4);
        var (_, _, v3Token) = await _sandbox.AuthorisedAsync(Detail, username: "alice", clientId: "wallet-codes", organisationId: "org-codes",
            pick: CurrentAccount);
        var account = accounts[0];

        var (_, v4Balances) = await _sandbox.GetAsync(v4Token, $"{SandboxClient.AispV4}/accounts/{account}/balances");
        var (_, v3Balances) = await _sandbox.GetAsync(v3Token, $"{SandboxClient.Aisp}/accounts/{account}/balances");
        Assert.Equal(["ITBD", "ITAV", "PRCD"], Types(v4Balances, "Balance"));
        Assert.Equal(["InterimBooked", "InterimAvailable", "ClosingBooked"], Types(v3Balances, "Balance"));
        // The same amounts: only the words differ.
        Assert.Equal(Amounts(v3Balances), Amounts(v4Balances));

        var (_, v4Accounts) = await _sandbox.GetAsync(v4Token, $"{SandboxClient.AispV4}/accounts/{account}");
        var item = v4Accounts.GetProperty("Data").GetProperty("Account")[0];
        Assert.Equal("Personal", item.GetProperty("AccountCategory").GetString());
        Assert.Equal("CACC", item.GetProperty("AccountTypeCode").GetString());
        Assert.False(item.TryGetProperty("AccountType", out _));

        var (_, v4Transactions) = await _sandbox.GetAsync(v4Token, $"{SandboxClient.AispV4}/accounts/{account}/transactions");
        var statuses = v4Transactions.GetProperty("Data").GetProperty("Transaction").EnumerateArray().Select(t => t.GetProperty("Status").GetString()).ToHashSet();
        Assert.Subset(new HashSet<string?> { "BOOK", "PDNG" }, statuses);
        Assert.Contains("BOOK", statuses);

        var (_, party) = await _sandbox.GetAsync(v4Token, $"{SandboxClient.AispV4}/party");
        Assert.Equal("HOME", party.GetProperty("Data").GetProperty("Party").GetProperty("Address")[0].GetProperty("AddressType").GetString());

        var (_, directDebits) = await _sandbox.GetAsync(v4Token, $"{SandboxClient.AispV4}/accounts/{account}/direct-debits");
        foreach (var debit in directDebits.GetProperty("Data").GetProperty("DirectDebit").EnumerateArray())
        {
            var mandate = debit.GetProperty("MandateRelatedInformation");
            Assert.False(string.IsNullOrEmpty(mandate.GetProperty("MandateIdentification").GetString()));
            Assert.Contains(mandate.GetProperty("Frequency").GetProperty("Type").GetString(), new[] { "MNTH", "QURT" });
        }
    }

    [Fact]
    public async Task Transactions_PageAndFilter_AsOnV3()
    {
        var (_, accounts, v4Token) = await _sandbox.AuthorisedAsync(Detail, username: "alice", clientId: "wallet-pages", organisationId: "org-pages",
            pick: CurrentAccount, aisp: SandboxClient.AispV4);
        var (_, _, v3Token) = await _sandbox.AuthorisedAsync(Detail, username: "alice", clientId: "wallet-pages", organisationId: "org-pages",
            pick: CurrentAccount);
        var path = $"/accounts/{accounts[0]}/transactions?fromBookingDateTime=2020-01-01&page=2";

        var (v4Status, v4) = await _sandbox.GetAsync(v4Token, SandboxClient.AispV4 + path);
        var (v3Status, v3) = await _sandbox.GetAsync(v3Token, SandboxClient.Aisp + path);

        Assert.Equal(HttpStatusCode.OK, v4Status);
        Assert.Equal(HttpStatusCode.OK, v3Status);
        Spec.AssertResponse("/accounts/{AccountId}/transactions", "get", 200, v4);
        Assert.Equal(v3.GetProperty("Meta").GetProperty("TotalPages").GetInt32(), v4.GetProperty("Meta").GetProperty("TotalPages").GetInt32());
        Assert.Equal(Ids(v3), Ids(v4));
        Assert.Equal(
            v3.GetProperty("Links").GetProperty("Next").GetString()!.Replace("/v3.1/", "/v4.0/", StringComparison.Ordinal),
            v4.GetProperty("Links").GetProperty("Next").GetString());

        static string[] Ids(JsonElement body) => [.. body.GetProperty("Data").GetProperty("Transaction").EnumerateArray().Select(t => t.GetProperty("TransactionId").GetString()!)];
    }

    [Fact]
    public void Errata_AreCorrectedNarrowly()
    {
        // Account identification schemes pass where an account is identified; balance types are still held to their list.
        Assert.Empty(Spec.Validate("OBAccount6Detail", Json("""{"AccountId":"a","Currency":"GBP","AccountCategory":"Personal","AccountTypeCode":"CACC","Account":[{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"20000012345678"}]}""")));
        Assert.NotEmpty(Spec.Validate("OBReadBalance1", Json("""{"Data":{"Balance":[{"AccountId":"a","CreditDebitIndicator":"Credit","Type":"InterimBooked","DateTime":"2026-01-01T00:00:00Z","Amount":{"Amount":"1.00","Currency":"GBP"}}]}}""")));
        // A standing order needs no top-level Frequency, but still its AccountId and nothing v4.0 removed.
        const string mandate = "\"MandateRelatedInformation\":{\"Frequency\":{\"Type\":\"MNTH\"}}";
        Assert.Empty(Spec.Validate("OBStandingOrder6", Json("{\"AccountId\":\"a\"," + mandate + "}")));
        Assert.NotEmpty(Spec.Validate("OBStandingOrder6", Json("{" + mandate + "}")));
        Assert.NotEmpty(Spec.Validate("OBStandingOrder6", Json("{\"AccountId\":\"a\",\"Reference\":\"r\"," + mandate + "}")));

        static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
    }

    [Fact]
    public async Task ConsentResponses_FollowTheV4Specification()
    {
        using var client = _sandbox.Client(SandboxFactory.ClientToken());
        using var created = await client.PostAsync($"{SandboxClient.AispV4}/account-access-consents", new StringContent(
            """{"Data":{"Permissions":["ReadAccountsDetail","ReadTransactionsBasic","ReadTransactionsCredits"],"ExpirationDateTime":"2099-01-01T00:00:00Z","TransactionFromDateTime":"2025-01-01T00:00:00Z"},"Risk":{}}""",
            Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var consentId = body.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        Assert.Equal($"http://localhost:5002/open-banking/v4.0/aisp/account-access-consents/{consentId}", created.Headers.Location?.ToString());
        var (_, read) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{SandboxClient.AispV4}/account-access-consents/{consentId}");

        Spec.AssertResponse("/account-access-consents", "post", 201, body);
        Spec.AssertResponse("/account-access-consents/{ConsentId}", "get", 200, read);
        Assert.Equal("AWAU", read.GetProperty("Data").GetProperty("Status").GetString());
        Assert.False(read.GetProperty("Data").TryGetProperty("StatusReason", out _));
    }

    [Fact]
    public async Task Refusals_AreWrittenInV4Form()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _sandbox.Client(SandboxFactory.ClientToken());
        var consents = $"{SandboxClient.AispV4}/account-access-consents";

        using var invalid = await client.PostAsync(consents,
            new StringContent("""{"Data":{"Permissions":["ReadBalances","ReadNothing"]}}""", Encoding.UTF8, "application/json"), ct);
        var invalidBody = await invalid.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Spec.AssertResponse("/account-access-consents", "post", 400, invalidBody);
        Assert.Equal(["U002", "U004"], Codes(invalidBody).Distinct().Order());
        Assert.False(invalidBody.TryGetProperty("Code", out _));
        Assert.Equal("U004", invalid.Headers.GetValues("x-obie-error-code").Single());

        using var malformed = await client.PostAsync(consents, new StringContent("{", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(["U010"], Codes(await malformed.Content.ReadFromJsonAsync<JsonElement>(ct)));

        var (notFoundStatus, notFound) = await _sandbox.GetAsync(SandboxFactory.ClientToken(), $"{consents}/aac-nope");
        Assert.Equal(HttpStatusCode.BadRequest, notFoundStatus);
        Spec.AssertResponse("/account-access-consents/{ConsentId}", "get", 400, notFound);
        Assert.Equal(["U011"], Codes(notFound));

        var (consentId, accounts, token) = await _sandbox.AuthorisedAsync("ReadAccountsBasic ReadTransactionsBasic ReadTransactionsDebits",
            aisp: SandboxClient.AispV4, pick: CurrentAccount);

        var (badDateStatus, badDate) = await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/transactions?fromBookingDateTime=soon");
        Assert.Equal(HttpStatusCode.BadRequest, badDateStatus);
        Spec.AssertResponse("/transactions", "get", 400, badDate);
        Assert.Equal(["U003"], Codes(badDate));

        var (badPageStatus, badPage) = await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/accounts/{accounts[0]}/transactions?page=0");
        Assert.Equal(HttpStatusCode.BadRequest, badPageStatus);
        Spec.AssertResponse("/accounts/{AccountId}/transactions", "get", 400, badPage);
        Assert.Equal(["U002"], Codes(badPage));

        // 403 without a body (the v4.0 403 body is optional, as in v3.1.11): a permission the consent lacks, an
        // account outside it, a customer token on the consent resource.
        Assert.Equal(HttpStatusCode.Forbidden, (await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/balances")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/accounts/acc-not-mine")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _sandbox.GetAsync(token, $"{consents}/{consentId}")).Status);

        // 401 without a body: the consent no longer grants access.
        using (var deleted = await client.DeleteAsync($"{consents}/{consentId}", ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var (goneStatus, gone) = await _sandbox.GetAsync(token, $"{SandboxClient.AispV4}/accounts");
        Assert.Equal(HttpStatusCode.Unauthorized, goneStatus);
        Assert.Equal(JsonValueKind.Undefined, gone.ValueKind);
    }

    /// <summary>
    /// The response schemas are loose; each item must also follow the Basic or Detail schema its permission gives.
    /// Standing orders have none in v4.0 that fits: OBStandingOrder6Basic/Detail still have v3.1.11's members, while
    /// the response's OBStandingOrder6 moved them into MandateRelatedInformation; Basic shows no creditor.
    /// </summary>
    private static void AssertItemsFollow(JsonElement body, string permissionSet)
    {
        var itemSchemas = new Dictionary<string, string>
        {
            ["Account"] = "OBAccount6", ["Transaction"] = "OBTransaction6", ["Beneficiary"] = "OBBeneficiary5",
            ["ScheduledPayment"] = "OBScheduledPayment3", ["Statement"] = "OBStatement2",
        };
        if (body.GetProperty("Data").TryGetProperty("StandingOrder", out var standingOrders))
        {
            Assert.All(standingOrders.EnumerateArray(), s => Assert.Equal(permissionSet == "Detail", s.TryGetProperty("CreditorAccount", out _)));
        }

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

    internal static bool CurrentAccount(JsonElement account) => account.GetProperty("AccountSubType").GetString() == "CurrentAccount";

    private static string[] Types(JsonElement body, string resource)
        => [.. body.GetProperty("Data").GetProperty(resource).EnumerateArray().Select(b => b.GetProperty("Type").GetString()!)];

    private static string[] Amounts(JsonElement body)
        => [.. body.GetProperty("Data").GetProperty("Balance").EnumerateArray().Select(b => b.GetProperty("Amount").GetProperty("Amount").GetString()!)];

    internal static string[] Codes(JsonElement body)
        => [.. body.GetProperty("Errors").EnumerateArray().Select(e => e.GetProperty("ErrorCode").GetString()!)];
}
