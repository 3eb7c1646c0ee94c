using System.Globalization;
using OpenBanking.Sandbox.Bank;

namespace OpenBanking.Sandbox.Fraud;

/// <summary>
/// What the fraud model knows of the payer before a payment: the same snapshot live scoring reads from the cached
/// <see cref="Payments.RiskProfile"/> and the training data generator keeps per simulated customer.
/// </summary>
/// <param name="AvailableMinor">Balance plus arranged overdraft, before this payment.</param>
/// <param name="PayeeFirstSeen">When money first went to or came from this payee, or it was added as a beneficiary; null for a new payee.</param>
/// <param name="PayeeAccountOpened">The payee account's opening date when it is an account of this bank; null otherwise.</param>
/// <param name="InboundLastDay">Credits to the payer's account in the last 24 hours (count).</param>
public sealed record FraudHistory(
    int DebitCount,
    double MeanDebitMinor,
    double StdDevDebitMinor,
    long AvailableMinor,
    DateTime? PayeeFirstSeen,
    DateTime? PayeeAccountOpened,
    int PaymentsLastHour,
    int PaymentsLastDay,
    int InboundLastDay,
    long InboundLastDayMinor,
    string? UsualCurrency);

/// <summary>The payment being scored, with what the rules already concluded.</summary>
/// <param name="LocalHour">Hour of day on the bank's clock (Europe/London).</param>
/// <param name="ConsentCreatedAt">When the payment's consent was created; null when the kind has no such consent.</param>
/// <param name="ContextCode">The Risk block's PaymentContextCode, if any.</param>
public sealed record FraudPayment(
    long AmountMinor,
    string Currency,
    string CreditorIdentification,
    DateTime At,
    int LocalHour,
    DateTime? ConsentCreatedAt,
    string? ContextCode,
    int RuleScore);

/// <summary>
/// The fraud model's features, extracted the same way for training and for live scoring (pure). Each is a float in
/// <see cref="Names"/> order; "unknown" is -1 where a feature can be unknown.
/// </summary>
public static class FraudFeatures
{
    public const int AmountLog = 0;
    public const int AmountToUsual = 1;
    public const int AmountZScore = 2;
    public const int HistoryLog = 3;
    public const int NewPayee = 4;
    public const int PayeeAgeMinutesLog = 5;
    public const int PayeeAccountAgeDaysLog = 6;
    public const int PaymentsLastHour = 7;
    public const int PaymentsLastDay = 8;
    public const int ShareOfBalance = 9;
    public const int CrossCurrency = 10;
    public const int CrossBorder = 11;
    public const int ConsentAgeMinutesLog = 12;
    public const int ContextCode = 13;
    public const int InboundLastDay = 14;
    public const int AmountToInbound = 15;
    public const int RoundAmount = 16;
    public const int RuleScore = 17;
    public const int Count = 18;

    /// <summary>Feature names, in vector order (the model's sidecar lists them).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "AmountLog", "AmountToUsual", "AmountZScore", "HistoryLog", "NewPayee", "PayeeAgeMinutesLog", "PayeeAccountAgeDaysLog",
        "PaymentsLastHour", "PaymentsLastDay", "ShareOfBalance", "CrossCurrency", "CrossBorder",
        "ConsentAgeMinutesLog", "ContextCode", "InboundLastDay", "AmountToInbound", "RoundAmount", "RuleScore",
    ];

    /// <summary>OBRisk1 PaymentContextCodes in a fixed order (the ordinal is the index + 1; 0 for none or another).</summary>
    public static readonly IReadOnlyList<string> ContextCodes =
    [
        "BillingGoodsAndServicesInAdvance", "BillingGoodsAndServicesInArrears", "PispPayee", "EcommerceMerchantInitiatedPayment",
        "FaceToFacePointOfSale", "TransferToSelf", "TransferToThirdParty", "BillPayment", "EcommerceGoods", "EcommerceServices",
        "Other", "PartyToParty",
    ];

    /// <summary>Below this many past debits the customer's "usual" amount and hours are not known.</summary>
    public const int MinimumHistory = 5;

    /// <summary>An amount is compared with at least £10, so a customer of tiny card payments does not make every transfer look huge.</summary>
    public const double UsualFloorMinor = 1_000;

    public static float[] Extract(FraudPayment payment, FraudHistory history)
    {
        var f = new float[Count];
        Extract(payment, history, f);
        return f;
    }

    /// <summary>Writes the features into <paramref name="features"/> (length <see cref="Count"/>): no allocation on the hot path.</summary>
    public static void Extract(FraudPayment payment, FraudHistory history, Span<float> features)
    {
        var amount = payment.AmountMinor;
        var known = history.DebitCount >= MinimumHistory;
        var usual = Math.Max(history.MeanDebitMinor, UsualFloorMinor);

        features[AmountLog] = (float)Math.Log10(amount + 1.0);
        features[AmountToUsual] = known ? (float)Math.Min(amount / usual, 1000) : -1;
        features[AmountZScore] = known ? (float)Math.Clamp((amount - history.MeanDebitMinor) / Math.Max(history.StdDevDebitMinor, UsualFloorMinor), -10, 200) : -1;
        features[HistoryLog] = (float)Math.Log10(history.DebitCount + 1.0);
        features[NewPayee] = history.PayeeFirstSeen is null ? 1 : 0;
        features[PayeeAgeMinutesLog] = history.PayeeFirstSeen is { } seen ? (float)Math.Log10(Math.Max(0, (payment.At - seen).TotalMinutes) + 1) : -1;
        features[PayeeAccountAgeDaysLog] = history.PayeeAccountOpened is { } opened ? (float)Math.Log10(Math.Max(0, (payment.At - opened).TotalDays) + 1) : -1;
        features[PaymentsLastHour] = history.PaymentsLastHour;
        features[PaymentsLastDay] = history.PaymentsLastDay;
        features[ShareOfBalance] = history.AvailableMinor <= 0 ? 2 : (float)Math.Min(amount / (double)history.AvailableMinor, 2);
        features[CrossCurrency] = history.UsualCurrency is { } currency && currency != payment.Currency ? 1 : 0;
        features[CrossBorder] = IsCrossBorder(payment.CreditorIdentification) ? 1 : 0;
        features[ConsentAgeMinutesLog] = payment.ConsentCreatedAt is { } created ? (float)Math.Log10(Math.Max(0, (payment.At - created).TotalMinutes) + 1) : -1;
        features[ContextCode] = ContextOrdinal(payment.ContextCode);
        features[InboundLastDay] = history.InboundLastDay;
        features[AmountToInbound] = history.InboundLastDayMinor > 0 ? (float)Math.Min(amount / (double)history.InboundLastDayMinor, 100) : 0;
        features[RoundAmount] = amount >= 10_000 && amount % 5_000 == 0 ? 1 : 0;
        features[RuleScore] = payment.RuleScore;
    }

    /// <summary>An IBAN of a country other than the UK (the creditor's bank is abroad).</summary>
    public static bool IsCrossBorder(string creditorIdentification)
        => creditorIdentification.Length >= 15 && char.IsAsciiLetter(creditorIdentification[0]) && char.IsAsciiLetter(creditorIdentification[1])
            && char.IsAsciiDigit(creditorIdentification[2]) && !creditorIdentification.StartsWith("GB", StringComparison.OrdinalIgnoreCase);

    public static int ContextOrdinal(string? code)
    {
        if (code is null)
        {
            return 0;
        }

        for (var i = 0; i < ContextCodes.Count; i++)
        {
            if (string.Equals(ContextCodes[i], code, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>
    /// A feature that pushed the score up, in words a fraud analyst or partner reads ("amount 14× usual"); null when
    /// the feature has nothing worth saying (the rules' own score is already in the reasons).
    /// </summary>
    public static string? Describe(int feature, FraudPayment payment, FraudHistory history, ReadOnlySpan<float> values)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (feature)
        {
            case AmountToUsual or AmountZScore or AmountLog when values[AmountToUsual] >= 1.5:
                return string.Format(inv, "amount {0}× usual ({1} against {2})", Times(values[AmountToUsual]),
                    Money.Format(payment.AmountMinor), Money.Format((long)history.MeanDebitMinor));
            case AmountToUsual or AmountZScore or AmountLog when values[AmountToUsual] < 0:
                return $"{Money.Format(payment.AmountMinor)} with little history to compare";
            case AmountLog when payment.AmountMinor < 300:
                return $"tiny amount ({Money.Format(payment.AmountMinor)})";
            case NewPayee or PayeeAgeMinutesLog when history.PayeeFirstSeen is null:
                return "first payment to a new payee";
            case NewPayee or PayeeAgeMinutesLog when history.PayeeFirstSeen is { } seen && payment.At - seen < TimeSpan.FromDays(2):
                return "payee added " + Ago(payment.At - seen);
            case PayeeAccountAgeDaysLog when history.PayeeAccountOpened is { } opened:
                return $"payee's account opened {Ago(payment.At - opened)}";
            case PaymentsLastHour when history.PaymentsLastHour > 0:
                return string.Format(inv, "{0} payments in the last hour", history.PaymentsLastHour);
            case PaymentsLastDay when history.PaymentsLastDay > 0:
                return string.Format(inv, "{0} payments in the last day", history.PaymentsLastDay);
            case ShareOfBalance when values[ShareOfBalance] >= 0.5:
                return string.Format(inv, "takes {0:0}% of the available balance", Math.Min(values[ShareOfBalance], 1) * 100);
            case CrossCurrency when values[CrossCurrency] > 0:
                return $"not in the customer's usual currency ({history.UsualCurrency})";
            case CrossBorder when values[CrossBorder] > 0:
                return "payee's bank is abroad";
            case ConsentAgeMinutesLog when payment.ConsentCreatedAt is { } created:
                return "consent created " + Ago(payment.At - created) + " before the payment";
            case ContextCode:
                return $"payment context {payment.ContextCode ?? "not given"}";
            case InboundLastDay or AmountToInbound when history.InboundLastDay > 0:
                return string.Format(inv, "{0} payments received in the last day ({1}), then paid out", history.InboundLastDay, Money.Format(history.InboundLastDayMinor));
            case RoundAmount when values[RoundAmount] > 0:
                return $"round amount ({Money.Format(payment.AmountMinor)})";
            default:
                return null;
        }
    }

    private static string Times(float ratio)
        => ratio >= 10 ? Math.Round(ratio).ToString("0", CultureInfo.InvariantCulture) : ratio.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Ago(TimeSpan span)
    {
        var inv = CultureInfo.InvariantCulture;
        return span.TotalMinutes < 1 ? "under a minute ago"
            : span.TotalHours < 1 ? string.Format(inv, "{0:0} minute{1} ago", Math.Floor(span.TotalMinutes), span.TotalMinutes >= 2 ? "s" : "")
            : span.TotalDays < 2 ? string.Format(inv, "{0:0} hour{1} ago", Math.Floor(span.TotalHours), span.TotalHours >= 2 ? "s" : "")
            : string.Format(inv, "{0:0} days ago", Math.Floor(span.TotalDays));
    }
}
