using System.Globalization;
using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.StandingOrders;

/// <summary>
/// A standing-order consent's terms as a validated request of either version gives them: the Initiation and Risk
/// exactly as sent, and the schedule and parties the domain reads from them.
/// </summary>
public sealed record StandingOrderTerms(
    JsonElement Initiation,
    JsonElement Risk,
    JsonElement? Authorisation,
    JsonElement? ScaSupportData,
    string? ReadRefundAccount,
    StandingOrderFrequency Frequency,
    string? Reference,
    ScheduleDates Dates,
    OrderAmounts Amounts,
    AccountReference Creditor,
    AccountReference? Debtor)
{
    public DomesticStandingOrderConsent ToConsent(string clientId) => new()
    {
        Id = Domain.ConsentKinds.NewId(Domain.ConsentKind.DomesticStandingOrder),
        ClientId = clientId,
        InitiationJson = Initiation.GetRawText(),
        RiskJson = Risk.GetRawText(),
        AuthorisationJson = Authorisation?.GetRawText(),
        ScaSupportDataJson = ScaSupportData?.GetRawText(),
        ReadRefundAccount = ReadRefundAccount,
        Frequency = Frequency.Code,
        Reference = Reference,
        FirstPaymentDateTime = Dates.First,
        RecurringPaymentDateTime = Dates.Recurring,
        FinalPaymentDateTime = Dates.Final,
        NumberOfPayments = Dates.NumberOfPayments,
        FirstAmountMinor = Amounts.First,
        RecurringAmountMinor = Amounts.Recurring,
        FinalAmountMinor = Amounts.Final,
        Currency = Amounts.Currency,
        CreditorName = Creditor.Name!,
        CreditorSchemeName = Creditor.SchemeName,
        CreditorIdentification = Creditor.Identification,
        DebtorSchemeName = Debtor?.SchemeName,
        DebtorIdentification = Debtor?.Identification,
    };
}

public sealed record ScheduleDates(DateTimeOffset First, DateTimeOffset? Recurring, DateTimeOffset? Final, int? NumberOfPayments);

public sealed record OrderAmounts(long First, long? Recurring, long? Final, string Currency);

/// <summary>What both versions' standing-order consents check alike: Permission, the amounts, and the schedule's dates and length.</summary>
public static class StandingOrderRules
{
    /// <summary>The longest schedule a consent may fix (NumberOfPayments); an open-ended order has no count.</summary>
    public const int MaximumPayments = 10_000;

    public static void Permission(ObieValidator v, JsonElement data)
        => v.Enum(data, "Permission", "Data.Permission", required: true, "Create");

    /// <summary>FirstPaymentAmount (required), RecurringPaymentAmount and FinalPaymentAmount, all in one currency.</summary>
    public static OrderAmounts? Amounts(ObieValidator v, JsonElement initiation, string path, bool bounded)
    {
        var first = v.Amount(initiation, path + ".FirstPaymentAmount", "FirstPaymentAmount");
        var recurring = v.Amount(initiation, path + ".RecurringPaymentAmount", "RecurringPaymentAmount", required: false);
        var final = v.Amount(initiation, path + ".FinalPaymentAmount", "FinalPaymentAmount", required: false);
        if (first is not { } f)
        {
            return null;
        }

        foreach (var (amount, name) in new[] { (recurring, "RecurringPaymentAmount"), (final, "FinalPaymentAmount") })
        {
            if (amount is { } a && a.Currency != f.Currency)
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"{name} must be in the first payment's currency ({f.Currency}).", $"{path}.{name}.Currency");
            }
        }

        if (final is not null && !bounded)
        {
            v.Add(ObieErrorCodes.FieldUnexpected, "A final payment needs an end: give NumberOfPayments or FinalPaymentDateTime.", path + ".FinalPaymentAmount");
        }

        return new OrderAmounts(f.Minor, recurring?.Minor, final?.Minor, f.Currency);
    }

    /// <summary>NumberOfPayments as v3.1.11 sends it: a string of a whole number of at least 1.</summary>
    public static int? NumberOfPayments(ObieValidator v, JsonElement initiation, string path)
    {
        var text = v.String(initiation, "NumberOfPayments", path, required: false, 35);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > MaximumPayments)
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"NumberOfPayments is a whole number from 1 to {MaximumPayments}, as a string, e.g. \"12\".", path);
            return null;
        }

        return number;
    }

    /// <summary>
    /// The schedule's dates (under <paramref name="path"/>): the first payment today or later (the tenant's clock),
    /// a recurring start after it, a final payment after it (and not before the recurring start), and an end given
    /// at most one way — NumberOfPayments or FinalPaymentDateTime.
    /// </summary>
    /// <param name="firstElsewhere">Where else FirstPaymentDateTime may be (v4.0's Initiation, as its schema's required list says), and its path.</param>
    public static ScheduleDates? Dates(ObieValidator v, JsonElement parent, string path, int? numberOfPayments, DateTimeOffset now,
        (JsonElement Parent, string Path)? firstElsewhere = null)
    {
        var first = v.DateTime(parent, "FirstPaymentDateTime", path + ".FirstPaymentDateTime");
        var other = firstElsewhere is { } elsewhere ? v.DateTime(elsewhere.Parent, "FirstPaymentDateTime", elsewhere.Path) : null;
        if (first is not null && other is not null && first != other)
        {
            v.Add(ObieErrorCodes.FieldInvalid, "FirstPaymentDateTime is given twice with different values.", firstElsewhere!.Value.Path);
        }

        first ??= other;
        if (first is null && !parent.TryGetProperty("FirstPaymentDateTime", out _)
            && !(firstElsewhere is { } given && given.Parent.TryGetProperty("FirstPaymentDateTime", out _)))
        {
            v.Add(ObieErrorCodes.FieldMissing, "FirstPaymentDateTime is required.", path + ".FirstPaymentDateTime");
        }

        var recurring = v.DateTime(parent, "RecurringPaymentDateTime", path + ".RecurringPaymentDateTime");
        var final = v.DateTime(parent, "FinalPaymentDateTime", path + ".FinalPaymentDateTime");
        if (first is { } f && DateOnly.FromDateTime(f.UtcDateTime) < DateOnly.FromDateTime(now.UtcDateTime))
        {
            v.Add(ObieErrorCodes.FieldInvalidDate, "FirstPaymentDateTime must be today or later.", path + ".FirstPaymentDateTime");
        }

        if (first is { } a && recurring is { } r && r.UtcDateTime.Date <= a.UtcDateTime.Date)
        {
            v.Add(ObieErrorCodes.FieldInvalidDate, "RecurringPaymentDateTime must be after the first payment's date.", path + ".RecurringPaymentDateTime");
        }

        if (first is { } b && final is { } e && (e.UtcDateTime.Date < b.UtcDateTime.Date || (recurring is { } rr && e.UtcDateTime.Date < rr.UtcDateTime.Date)))
        {
            v.Add(ObieErrorCodes.FieldInvalidDate, "FinalPaymentDateTime must not be before the first (or first recurring) payment.", path + ".FinalPaymentDateTime");
        }

        if (final is not null && numberOfPayments is not null)
        {
            v.Add(ObieErrorCodes.FieldUnexpected, "Give NumberOfPayments or FinalPaymentDateTime, not both.", path + ".FinalPaymentDateTime");
        }

        return first is { } start ? new ScheduleDates(start, recurring, final, numberOfPayments) : null;
    }
}
