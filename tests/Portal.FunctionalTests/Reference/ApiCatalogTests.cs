using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenBanking.Portal.Reference;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Reference;

/// <summary>The API reference's reading of the OBIE documents, from the copies that ship in the Portal's output.</summary>
public sealed class ApiCatalogTests
{
    private static readonly ApiCatalog Catalog = new(Options.Create(new ApiReferenceOptions()));

    public static TheoryData<string, string> Apis =>
    [
        .. from version in ObieVersion.All from api in ApiInfo.All select (api.Key, version.QueryValue),
    ];

    [Theory]
    [MemberData(nameof(Apis))]
    public void Document_ShipsWithThePortal_AndLoadsWithEveryOperation(string key, string version)
    {
        var api = ApiInfo.Find(key)!;
        var obie = ObieVersion.Parse(version)!;

        var definition = Catalog.Get(api, obie);

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "specs", obie.SpecFolder, api.FileName)), "the spec is copied to the output");
        Assert.StartsWith(obie.QueryValue, definition.Version, StringComparison.Ordinal);
        Assert.Same(obie, definition.ObieVersion);
        Assert.StartsWith(obie.GatewayPrefix, definition.BasePath + "/", StringComparison.Ordinal);
        Assert.NotEmpty(definition.Operations);
        Assert.All(definition.Operations, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.OperationId));
            Assert.NotEqual(ApiGrant.None, o.Grant);
            Assert.Contains(api.Scope, o.Scopes);
            Assert.NotEmpty(o.Responses);
        });
        Assert.Same(definition, Catalog.Get(api, obie));
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void EveryOperation_HasItsTwin_InTheOtherVersion_AtTheSamePath(string key, string version)
    {
        var api = ApiInfo.Find(key)!;
        var obie = ObieVersion.Parse(version)!;
        var other = ObieVersion.All.Single(v => v != obie);
        var twins = Catalog.Get(api, other);

        // v4.0 adds PUT and PATCH of a VRP consent (to migrate a v3.1 consent): the only operations without a twin.
        Assert.All(Catalog.Get(api, obie).Operations.Where(o => !V4OnlyOperations.Contains(o.OperationId)), operation =>
        {
            var twin = twins.Find(operation.OperationId);
            Assert.NotNull(twin);
            Assert.Equal(operation.Method + " " + operation.Path, twin.Method + " " + twin.Path);
        });
    }

    private static readonly HashSet<string> V4OnlyOperations = ["domesticVrpConsentsPut", "domesticVrpConsentsPatch"];

    [Theory]
    [InlineData("3.1.11", 7)]
    [InlineData("4.0", 9)]
    public void VrpReference_ListsEveryOperation_AndTheCustomersOnesTakeACustomerToken(string version, int operations)
    {
        var vrp = Catalog.Get(ApiInfo.Vrp, ObieVersion.Parse(version)!);

        Assert.Equal(operations, vrp.Operations.Count);
        Assert.Equal(ApiInfo.Vrp.ConsentPathIn(vrp.ObieVersion!), vrp.Find("domesticVrpConsentsPost")!.FullPath);
        Assert.Equal(ApiGrant.AuthorizationCode, vrp.Find("domesticVrpPost")!.Grant);
        Assert.Equal(ApiGrant.AuthorizationCode, vrp.Find("domesticVrpConsentsFundsConfirmation")!.Grant);
        Assert.Equal(ApiGrant.ClientCredentials, vrp.Find("domesticVrpGet")!.Grant);
        Assert.Equal(ApiGrant.ClientCredentials, vrp.Find("domesticVrpConsentsDelete")!.Grant);
        Assert.Equal(version == "4.0", vrp.Find("domesticVrpConsentsPatch") is not null);
    }

    [Theory]
    [InlineData("3.1.11")]
    [InlineData("4.0")]
    public void PaymentReference_ListsScheduledPaymentsAndStandingOrders_InBothVersions(string version)
    {
        var pis = Catalog.Get(ApiInfo.Payments, ObieVersion.Parse(version)!);

        foreach (var id in new[]
        {
            "CreateDomesticScheduledPaymentConsents", "GetDomesticScheduledPaymentConsentsConsentId", "CreateDomesticScheduledPayments",
            "GetDomesticScheduledPaymentsDomesticScheduledPaymentId", "CreateDomesticStandingOrderConsents", "CreateDomesticStandingOrders",
            "GetDomesticStandingOrdersDomesticStandingOrderId",
        })
        {
            Assert.True(pis.Find(id) is not null, $"{id} is missing from the {version} reference");
        }

        Assert.Equal(ApiGrant.AuthorizationCode, pis.Find("CreateDomesticStandingOrders")!.Grant);
    }

    [Fact]
    public void V40Documents_UseTheV40Shapes()
    {
        var create = Catalog.Get(ApiInfo.Payments, ObieVersion.V4).Find("CreateDomesticPaymentConsents")!;

        Assert.Equal("/open-banking/v4.0/pisp/domestic-payment-consents", create.FullPath);
        Assert.Equal(ApiInfo.Payments.ConsentPathIn(ObieVersion.V4), create.FullPath);
        var initiation = create.RequestBody!.Schema.Properties.Single(p => p.Name == "Data").Schema.Properties.Single(p => p.Name == "Initiation").Schema;
        var remittance = initiation.Properties.Single(p => p.Name == "RemittanceInformation").Schema;
        Assert.Equal("array", remittance.Properties.Single(p => p.Name == "Unstructured").Schema.Type);
        Assert.Equal("array", remittance.Properties.Single(p => p.Name == "Structured").Schema.Type);
        Assert.Contains(initiation.Properties, p => p.Name == "UltimateCreditor");
        var status = create.Responses.Single(r => r.Status == "201").Schema!.Properties.Single(p => p.Name == "Data").Schema.Properties.Single(p => p.Name == "Status").Schema;
        Assert.Contains("AWAU", status.Enum);
        Assert.DoesNotContain("AwaitingAuthorisation", status.Enum);
    }

    [Fact]
    public void AccountsApi_ReadsOperationsParametersAndSecurityAsDocumented()
    {
        var ais = Catalog.Get(ApiInfo.Accounts);

        var create = ais.Find("CreateAccountAccessConsents")!;
        Assert.Equal("POST", create.Method);
        Assert.Equal("/open-banking/v3.1/aisp/account-access-consents", create.FullPath);
        Assert.Equal(ApiGrant.ClientCredentials, create.Grant);
        Assert.Contains(create.Parameters, p => p.Name == "x-fapi-interaction-id" && p.In == "header" && !p.Required);
        Assert.Equal("OBReadConsent1", create.RequestBody!.Schema.RefName);
        Assert.Contains("OBRisk2", create.SchemaNames);
        var permissions = create.RequestBody.Schema.Properties.Single(p => p.Name == "Data").Schema.Properties.Single(p => p.Name == "Permissions");
        Assert.True(permissions.Required);
        Assert.Equal(21, permissions.Schema.Items!.Enum.Count);
        Assert.Equal("OBReadConsentResponse1", create.Responses.Single(r => r.Status == "201").Schema!.RefName);

        var accounts = ais.Find("GetAccounts")!;
        Assert.Equal(ApiGrant.AuthorizationCode, accounts.Grant);
        Assert.Equal("OBReadAccount6", accounts.Responses.Single(r => r.Status == "200").Schema!.RefName);

        var payments = Catalog.Get(ApiInfo.Payments).Find("CreateDomesticPaymentConsents")!;
        var idempotency = payments.Parameters.Single(p => p.Name == "x-idempotency-key");
        Assert.True(idempotency.Required);
        Assert.Equal(40, idempotency.Schema.MaxLength);
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void EveryReference_Resolves_ToASchemaWithAType(string key, string version)
    {
        var definition = Catalog.Get(ApiInfo.Find(key)!, ObieVersion.Parse(version)!);

        foreach (var operation in definition.Operations)
        {
            var schemas = operation.Responses.Select(r => r.Schema).Append(operation.RequestBody?.Schema)
                .Concat(operation.Parameters.Select(p => p.Schema)).OfType<SchemaNode>();
            foreach (var schema in schemas)
            {
                AssertResolved(schema, operation.OperationId);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void GeneratedExamples_OfEveryRequestBodyAndSuccessResponse_ValidateAgainstTheirSchema(string key, string version)
    {
        var api = ApiInfo.Find(key)!;
        var obie = ObieVersion.Parse(version)!;
        var contract = OpenApiContract.Load(obie.SpecFolder + "/" + api.FileName);
        var failures = new List<string>();

        foreach (var operation in Catalog.Get(api, obie).Operations)
        {
            var bodies = new List<(string What, SchemaNode Schema)>();
            // v4.0's PATCH of a VRP consent takes a JSON Patch document (application/json-patch+json), not a named schema.
            if (operation.RequestBody is { } body && operation.OperationId != "domesticVrpConsentsPatch")
            {
                bodies.Add(("request", body.Schema));
            }

            bodies.AddRange(operation.Responses.Where(r => r.Status.StartsWith('2') && r.Schema is not null).Select(r => ($"response {r.Status}", r.Schema!)));
            foreach (var (what, schema) in bodies)
            {
                Assert.NotNull(schema.RefName);
                foreach (var requiredOnly in new[] { false, true })
                {
                    if (Unsatisfiable(schema, requiredOnly) is not null)
                    {
                        // A contradiction in the published document itself (only in v4.0, only in standing orders).
                        Assert.Equal(ObieVersion.V4, obie);
                        Assert.Contains("StandingOrder", operation.OperationId, StringComparison.Ordinal);
                        continue;
                    }

                    var json = ExampleGenerator.ToJson(ExampleGenerator.Generate(schema, requiredOnly));
                    using var document = JsonDocument.Parse(json);
                    var errors = contract.Validate(schema.RefName!, document.RootElement);
                    if (errors.Count > 0)
                    {
                        failures.Add($"{operation.OperationId} {what} ({(requiredOnly ? "required only" : "full")}): {string.Join("; ", errors.Take(5))}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void ConsoleConsentBody_ValidatesAgainstTheConsentOperationsSchema(string key, string version)
    {
        var api = ApiInfo.Find(key)!;
        var obie = ObieVersion.Parse(version)!;
        var operation = Catalog.Get(api, obie).Find(ConsoleDefaults.ConsentOperationId(api))!;
        Assert.Equal(api.ConsentPathIn(obie), operation.FullPath);
        Assert.NotNull(Catalog.Get(api, obie).Find(ConsoleDefaults.FirstCallOperationId(api)));
        using var body = JsonDocument.Parse(ConsoleDefaults.ConsentBody(api, obie));

        var errors = OpenApiContract.Load(obie.SpecFolder + "/" + api.FileName).Validate(operation.RequestBody!.Schema.RefName!, body.RootElement);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Search_FindsOperationsByPathSummaryOperationIdAndSchemaName()
    {
        var ais = Catalog.Get(ApiInfo.Accounts);

        Assert.Contains(ais.Operations.Where(o => o.Matches("balances")), o => o.OperationId == "GetAccountsAccountIdBalances");
        Assert.Contains(ais.Operations.Where(o => o.Matches("OBReadConsent1")), o => o.OperationId == "CreateAccountAccessConsents");
        Assert.Single(ais.Operations, o => o.Matches("GetAccountsAccountIdStandingOrders"));
        Assert.DoesNotContain(ais.Operations, o => o.Matches("no-such-thing"));
    }

    /// <summary>Why no body can satisfy the schema as published (a required property it never defines, with no other allowed), or null.</summary>
    private static string? Unsatisfiable(SchemaNode schema, bool requiredOnly, int depth = 0)
    {
        if (depth > 40 || schema.IsRecursive)
        {
            return null;
        }

        if (schema.UndefinedRequired.Count > 0 && schema.AdditionalProperties == false)
        {
            return $"{schema.RefName ?? "inline"} requires {string.Join(", ", schema.UndefinedRequired)}";
        }

        return schema.Properties.Where(p => p.Required || !requiredOnly).Select(p => Unsatisfiable(p.Schema, requiredOnly, depth + 1))
            .Append(schema.Items is null ? null : Unsatisfiable(schema.Items, requiredOnly, depth + 1))
            .FirstOrDefault(r => r is not null);
    }

    private static void AssertResolved(SchemaNode schema, string where, int depth = 0)
    {
        Assert.True(depth < 40, $"{where}: schema too deep");
        Assert.False(schema.Type is null && schema.Properties.Count == 0 && schema.Items is null && !schema.IsRecursive && schema.Enum.Count == 0,
            $"{where}: a schema ({schema.RefName ?? "inline"}) without a type");
        foreach (var property in schema.Properties)
        {
            AssertResolved(property.Schema, $"{where}.{property.Name}", depth + 1);
        }

        if (schema.Items is not null)
        {
            AssertResolved(schema.Items, where + "[]", depth + 1);
        }
    }
}
