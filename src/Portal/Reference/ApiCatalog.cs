using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenBanking.Shared;

namespace OpenBanking.Portal.Reference;

/// <summary>An Open Banking API the reference documents: its route key, spec file, OAuth scope and consent endpoint.</summary>
public sealed record ApiInfo(string Key, string Name, string ShortName, string FileName, string Scope, string ConsentPath, string Summary)
{
    public static readonly ApiInfo Accounts = new(
        "ais", "Account and Transaction API", "AIS", "account-info-openapi.yaml", PlatformScopes.Accounts,
        "/open-banking/v3.1/aisp/account-access-consents",
        "Read a customer's accounts, balances, transactions, beneficiaries, standing orders and more, with their consent.");

    public static readonly ApiInfo Payments = new(
        "pis", "Payment Initiation API", "PIS", "payment-initiation-openapi.yaml", PlatformScopes.Payments,
        "/open-banking/v3.1/pisp/domestic-payment-consents",
        "Initiate domestic, scheduled, standing-order and international payments from a customer's account.");

    /// <summary>
    /// Domestic VRP: its own document, at the payment API's base path and scope. Its YAMLs mark every operation with
    /// the client-credentials scheme; the payment and the consent's funds confirmation act for the customer, so the
    /// reference and the console treat those two as authorization-code operations (<see cref="CustomerOperations"/>),
    /// as the specification's prose and the gateway do.
    /// </summary>
    public static readonly ApiInfo Vrp = new(
        "vrp", "Variable Recurring Payments API", "VRP", "vrp-openapi.yaml", PlatformScopes.Payments,
        "/open-banking/v3.1/pisp/domestic-vrp-consents",
        "Sweep and top up within limits the customer sets once: VRP consents, their funds confirmation and payments.")
    {
        CustomerOperations = ["domesticVrpPost", "domesticVrpConsentsFundsConfirmation"],
    };

    public static readonly ApiInfo FundsConfirmation = new(
        "cbpii", "Confirmation of Funds API", "CBPII", "confirmation-funds-openapi.yaml", PlatformScopes.FundsConfirmations,
        "/open-banking/v3.1/cbpii/funds-confirmation-consents",
        "Check that a customer's account holds enough funds for a card payment.");

    public static IReadOnlyList<ApiInfo> All { get; } = [Accounts, Payments, Vrp, FundsConfirmation];

    /// <summary>Operations that take a customer's token whatever the document's security says (see <see cref="Vrp"/>).</summary>
    public IReadOnlyCollection<string> CustomerOperations { get; init; } = [];

    public static ApiInfo? Find(string? key)
        => All.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The consent endpoint in a version: the same resource under that version's base path.</summary>
    public string ConsentPathIn(ObieVersion version)
        => version.GatewayPrefix + ConsentPath[ObieVersion.Default.GatewayPrefix.Length..];
}

public sealed class ApiReferenceOptions
{
    public const string SectionName = "ApiReference";

    /// <summary>Folder of the OpenAPI documents; relative paths are taken from the application's base directory.</summary>
    public string SpecsDirectory { get; set; } = "specs";
}

/// <summary>
/// The API documents of every version, each read and resolved once on first use and then shared by every circuit
/// (they never change while the Portal runs). Every operation of each document is shown, in both versions alike: the
/// two releases list the same operation ids, so each operation has its twin in the other version.
/// </summary>
public sealed class ApiCatalog(IOptions<ApiReferenceOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<ApiDefinition>> _apis = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The folder that holds one folder per version (<c>obie-v3.1.11</c>, <c>obie-v4.0</c>).</summary>
    public string SpecsDirectory => Path.GetFullPath(options.Value.SpecsDirectory, AppContext.BaseDirectory);

    public ApiDefinition Get(ApiInfo api) => Get(api, ObieVersion.Default);

    public ApiDefinition Get(ApiInfo api, ObieVersion version)
        => _apis.GetOrAdd(version.Name + "/" + api.Key, _ => new Lazy<ApiDefinition>(
            () => OpenApiReader.Read(api, Path.Combine(SpecsDirectory, version.SpecFolder, api.FileName)) with { ObieVersion = version },
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Every API in every version, for searches across the reference.</summary>
    public IEnumerable<ApiDefinition> All()
        => ObieVersion.All.SelectMany(version => ApiInfo.All.Select(api => Get(api, version)));
}
