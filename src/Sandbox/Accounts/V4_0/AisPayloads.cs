using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts.V4_0;

// The response shapes of the Account and Transaction API v4.0 that differ from v3.1.11; the rest are shared
// (Accounts/AisPayloads.cs), written with v4.0's codes (AisCodes.V4_0).

/// <summary>OBAccount6 of v4.0: AccountType and AccountSubType became AccountCategory and the ISO AccountTypeCode.</summary>
public sealed record ObAccount(
    string AccountId, string Status, DateTimeOffset StatusUpdateDateTime, string Currency, string AccountCategory,
    string AccountTypeCode, string? Description, string? Nickname, DateTimeOffset OpeningDate,
    IReadOnlyList<ObCashAccount>? Account);

/// <summary>OBFrequency6: the ISO period of a mandate, and the day within it when the bank knows it.</summary>
public sealed record ObFrequency(string Type, string? PointInTime = null);

/// <summary>
/// OBMandateRelatedInformation1: where v4.0 keeps a direct debit's mandate reference and a standing order's
/// frequency and first payment.
/// </summary>
public sealed record ObMandateRelatedInformation(string? MandateIdentification, ObFrequency Frequency, DateTimeOffset? FirstPaymentDateTime = null,
    DateTimeOffset? FinalPaymentDateTime = null);

public sealed record ObDirectDebit(
    string AccountId, string DirectDebitId, string DirectDebitStatusCode, ObMandateRelatedInformation MandateRelatedInformation,
    string Name, DateTimeOffset? PreviousPaymentDateTime, ObAmount? PreviousPaymentAmount);

/// <summary>
/// OBStandingOrder6 of v4.0: frequency and first payment moved into MandateRelatedInformation, and the schema has no
/// Reference any more.
/// </summary>
public sealed record ObStandingOrder(
    string AccountId, string StandingOrderId, DateTimeOffset? NextPaymentDateTime, string StandingOrderStatusCode,
    ObAmount FirstPaymentAmount, ObAmount? NextPaymentAmount, ObCashAccount? CreditorAccount,
    ObMandateRelatedInformation MandateRelatedInformation,
    DateTimeOffset? LastPaymentDateTime = null, ObAmount? LastPaymentAmount = null, ObAmount? FinalPaymentAmount = null);

public sealed record AccountData(IReadOnlyList<ObAccount> Account);

public sealed record DirectDebitData(IReadOnlyList<ObDirectDebit> DirectDebit);

public sealed record StandingOrderData(IReadOnlyList<ObStandingOrder> StandingOrder);
