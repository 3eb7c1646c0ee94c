using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Pipeline;

/// <summary>
/// What the partner asks to be paid under a consent: the consent, and the payment's terms as sent (matched against the
/// consented ones). The API's edge maps its own request shape to this; the pipeline never sees a wire type.
/// </summary>
public sealed record PaymentInstruction(string ConsentId, JsonElement Initiation, JsonElement Risk);

/// <summary>
/// One payment on its way through the <see cref="PaymentPipeline"/>: the request, then what each step found or
/// decided. A step reads what earlier steps filled in and adds its own part.
/// </summary>
public sealed class PaymentContext(
    CallerContext caller, string idempotencyKey, string requestHash, string operation, PaymentInstruction instruction, DateTime now,
    ApiVersion version = ApiVersion.V3_1_11)
{
    public CallerContext Caller { get; } = caller;
    public string IdempotencyKey { get; } = idempotencyKey;
    /// <summary>SHA-256 of the request body: a repeat under the same key must carry the same request.</summary>
    public string RequestHash { get; } = requestHash;
    /// <summary>The idempotency scope (one per API operation).</summary>
    public string Operation { get; } = operation;
    public PaymentInstruction Instruction { get; } = instruction;
    /// <summary>UTC; the one time every step of this payment uses.</summary>
    public DateTime Now { get; } = now;
    /// <summary>The API version the payment is submitted through (its consent must be of the same one).</summary>
    public ApiVersion Version { get; } = version;

    /// <summary>What a kind's consent step needs beyond the Initiation and Risk (a VRP payment's Instruction); null for a domestic payment.</summary>
    public object? KindData { get; init; }

    /// <summary>
    /// How a reused key with another body is refused, when the kind's operation differs from the version's domestic
    /// rule (v4.0 international payments keep 400); null for that rule.
    /// </summary>
    public KeyConflict? KeyConflict { get; init; }

    /// <summary>What the kind's consent step found beyond the risk rules (cross-border screening), as risk points and reasons.</summary>
    public IReadOnlyList<RiskFinding> Findings { get; set; } = [];

    /// <summary>An outcome the consent step's screening forces (a sanctions hit is held, an embargoed country rejected); null for none.</summary>
    public RiskDecision? ForcedDecision { get; set; }

    /// <summary>The scenario trigger the consent step read from the kind's own terms (an international payment's InstructedAmount); null to match the payment's amount.</summary>
    public Scenario? ScenarioOverride { get; set; }

    /// <summary>The reference on the payer's statement (set by the consent step).</summary>
    public string? Reference { get; set; }

    /// <summary>Set when the request is a repeat: the payment its first sending made, answered instead of a new one.</summary>
    public DomesticPayment? Repeated { get; set; }

    /// <summary>The authorised consent (from <see cref="CheckAndConsumeConsent"/>).</summary>
    public DomesticPaymentConsent? Consent { get; set; }
    public Account? Debtor { get; set; }

    /// <summary>The payment being made (created by <see cref="CheckAndConsumeConsent"/> from the consented terms).</summary>
    public DomesticPayment? Payment { get; set; }

    /// <summary>The documented scenario trigger and the risk screen's verdict (from <see cref="ScreenRisk"/>).</summary>
    public Scenario Scenario { get; set; }
    public RiskAssessment? Assessment { get; set; }

    /// <summary>The rules' own score before the fraud model joined it (from <see cref="ScreenRisk"/>).</summary>
    public int? RuleScore { get; set; }

    /// <summary>The fraud model's verdict; null when no model is loaded (the rules decided alone).</summary>
    public Fraud.FraudScore? Model { get; set; }

    public DomesticPaymentConsent RequireConsent() => Consent ?? throw new InvalidOperationException("The consent has not been checked yet.");

    public DomesticPayment RequirePayment() => Payment ?? throw new InvalidOperationException("The payment has not been made yet.");

    public RiskAssessment RequireAssessment() => Assessment ?? throw new InvalidOperationException("The payment has not been screened yet.");
}
