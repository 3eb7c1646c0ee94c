using System.Text.Json.Serialization;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts.V3_1;

/// <summary>
/// Serialization code for the account-information responses, generated at build time: no reflection or
/// run-time code generation on the first call of each shape, and cheaper writes on every call. The same
/// conventions as <see cref="ObieApi.JsonOptions"/> (PascalCase, nulls left out).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AisResponse<AccountData>))]
[JsonSerializable(typeof(AisResponse<BalanceData>))]
[JsonSerializable(typeof(AisResponse<TransactionData>))]
[JsonSerializable(typeof(AisResponse<BeneficiaryData>))]
[JsonSerializable(typeof(AisResponse<DirectDebitData>))]
[JsonSerializable(typeof(AisResponse<StandingOrderData>))]
[JsonSerializable(typeof(AisResponse<ScheduledPaymentData>))]
[JsonSerializable(typeof(AisResponse<StatementData>))]
[JsonSerializable(typeof(AisResponse<ProductData>))]
[JsonSerializable(typeof(AisResponse<OfferData>))]
[JsonSerializable(typeof(AisResponse<PartyData>))]
[JsonSerializable(typeof(AisResponse<PartiesData>))]
internal sealed partial class AisJsonContext : JsonSerializerContext;
