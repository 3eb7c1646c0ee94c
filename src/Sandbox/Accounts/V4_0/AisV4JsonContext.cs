using System.Text.Json.Serialization;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts.V4_0;

/// <summary>
/// Serialization code for the v4.0 account-information responses, generated at build time as for v3.1.11
/// (<see cref="V3_1.AisJsonContext"/>), with the same conventions as <see cref="ObieApi.JsonOptions"/>. Its own name,
/// because the generator names its files after the context. The shapes both versions share are listed in both
/// contexts; <see cref="AisOk{TData}"/> takes whichever knows a type first.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AisResponse<AccountData>))]
[JsonSerializable(typeof(AisResponse<DirectDebitData>))]
[JsonSerializable(typeof(AisResponse<BalanceData>))]
[JsonSerializable(typeof(AisResponse<TransactionData>))]
[JsonSerializable(typeof(AisResponse<BeneficiaryData>))]
[JsonSerializable(typeof(AisResponse<StandingOrderData>))]
[JsonSerializable(typeof(AisResponse<ScheduledPaymentData>))]
[JsonSerializable(typeof(AisResponse<StatementData>))]
[JsonSerializable(typeof(AisResponse<ProductData>))]
[JsonSerializable(typeof(AisResponse<OfferData>))]
[JsonSerializable(typeof(AisResponse<PartyData>))]
[JsonSerializable(typeof(AisResponse<PartiesData>))]
internal sealed partial class AisV4JsonContext : JsonSerializerContext;
