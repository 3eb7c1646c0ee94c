using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Accounts.V3_1;

// The response shapes of the Account and Transaction API v3.1.11 that v4.0 changed; the rest are shared
// (Accounts/AisPayloads.cs).

public sealed record ObAccount(
    string AccountId, string Status, DateTimeOffset StatusUpdateDateTime, string Currency, string AccountType,
    string AccountSubType, string? Description, string? Nickname, DateTimeOffset OpeningDate,
    IReadOnlyList<ObCashAccount>? Account);

public sealed record ObDirectDebit(
    string AccountId, string DirectDebitId, string MandateIdentification, string DirectDebitStatusCode, string Name,
    DateTimeOffset? PreviousPaymentDateTime, ObAmount? PreviousPaymentAmount);

public sealed record ObStandingOrder(
    string AccountId, string StandingOrderId, string Frequency, string? Reference, DateTimeOffset FirstPaymentDateTime,
    DateTimeOffset? NextPaymentDateTime, string StandingOrderStatusCode, ObAmount FirstPaymentAmount,
    ObAmount? NextPaymentAmount, ObCashAccount? CreditorAccount,
    DateTimeOffset? LastPaymentDateTime = null, ObAmount? LastPaymentAmount = null, DateTimeOffset? FinalPaymentDateTime = null, ObAmount? FinalPaymentAmount = null);

public sealed record AccountData(IReadOnlyList<ObAccount> Account);

public sealed record DirectDebitData(IReadOnlyList<ObDirectDebit> DirectDebit);

public sealed record StandingOrderData(IReadOnlyList<ObStandingOrder> StandingOrder);
