using System.Text.Json;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Fx;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>One item of Charges[]: what is charged, in which currency, and who bears it.</summary>
public sealed record InternationalCharge(string ChargeBearer, string Type, long AmountMinor, string Currency);

/// <summary>
/// What a payment abroad moves, in minor units: <see cref="PrincipalMinor"/> (D) and <see cref="DebtorFeeMinor"/> leave
/// the payer in the debit currency; <see cref="TransferMinor"/> (T) is the principal in the transfer currency, of which
/// <see cref="DeductedFeeMinor"/> is kept as fees and <see cref="SentMinor"/> reaches the payee's bank.
/// <see cref="AtMidMinor"/> is T at the mid rate in the debit currency, so <c>D − AtMidMinor</c> is the bank's spread.
/// </summary>
public sealed record InternationalPrice(
    long PrincipalMinor, long DebtorFeeMinor, long TransferMinor, long DeductedFeeMinor, long SentMinor, long AtMidMinor,
    IReadOnlyList<InternationalCharge> Charges)
{
    /// <summary>Everything taken from the payer (principal and the payer's fees).</summary>
    public long TotalDebitMinor => PrincipalMinor + DebtorFeeMinor;

    /// <summary>The bank's spread P&amp;L in the debit currency (may be a minor unit below zero from rounding).</summary>
    public long SpreadMinor => PrincipalMinor - AtMidMinor;
}

/// <summary>
/// The arithmetic of a payment abroad (docs/international-payments.md "Amounts and rounding"), pure so that a partner
/// can reproduce every amount: rates are units of the transfer currency per one unit of the debit currency; shape A
/// (instructed in the transfer currency) <c>D = round(T ÷ rate)</c>; shape B (instructed in the debit currency)
/// <c>T = round(D × rate)</c>; each rounded half to even at the target currency's ISO 4217 exponent.
/// </summary>
public static class InternationalPricing
{
    public const string TransferFee = "UK.SandboxBank.TransferFee";
    public const string UrgentFee = "UK.SandboxBank.UrgentFee";
    public const string CorrespondentFee = "UK.SandboxBank.CorrespondentFee";

    public static readonly string[] Bearers = ["BorneByCreditor", "BorneByDebtor", "FollowingServiceLevel", "Shared"];

    /// <summary>A minor amount converted at <paramref name="rate"/> (units of <paramref name="to"/> per one <paramref name="from"/>), or back when <paramref name="divide"/>.</summary>
    public static long Convert(long minor, string from, string to, decimal rate, bool divide = false)
    {
        var major = Currencies.ToMajor(minor, from);
        return Currencies.ToMinor(divide ? major / rate : major * rate, to);
    }

    /// <param name="rate">The customer rate (null when the debit currency is the transfer currency).</param>
    /// <param name="mid">The mid rate behind it.</param>
    public static InternationalPrice Price(
        long instructedMinor, string instructedCurrency, string debitCurrency, string transferCurrency, decimal? rate, decimal? mid,
        TariffFees fees, string bearer)
    {
        long principal, transfer, atMid;
        if (debitCurrency == transferCurrency || rate is not { } c)
        {
            principal = transfer = atMid = instructedMinor;
            c = 1m;
        }
        else if (instructedCurrency == transferCurrency)
        {
            transfer = instructedMinor;
            principal = Convert(transfer, transferCurrency, debitCurrency, c, divide: true);
            atMid = Convert(transfer, transferCurrency, debitCurrency, mid ?? c, divide: true);
        }
        else
        {
            principal = instructedMinor;
            transfer = Convert(principal, debitCurrency, transferCurrency, c);
            atMid = Convert(transfer, transferCurrency, debitCurrency, mid ?? c, divide: true);
        }

        var charges = new List<InternationalCharge>();
        long debtorFee = 0, deducted = 0;
        void Debtor(string type, long minor)
        {
            if (minor > 0)
            {
                debtorFee += minor;
                charges.Add(new InternationalCharge(bearer, type, minor, debitCurrency));
            }
        }

        void Deducted(string type, long minor)
        {
            if (minor > 0)
            {
                deducted += minor;
                charges.Add(new InternationalCharge(bearer, type, minor, transferCurrency));
            }
        }

        switch (bearer)
        {
            case "BorneByDebtor":
                // The payee's bank gets the whole amount: the payer also pays the correspondent's fee, at the customer rate.
                Debtor(TransferFee, fees.TransferFeeMinor);
                Debtor(UrgentFee, fees.UrgentFeeMinor);
                Debtor(CorrespondentFee, Convert(fees.CorrespondentFeeMinor, transferCurrency, debitCurrency, c, divide: true));
                break;
            case "BorneByCreditor":
                // The payer pays the principal only: every fee is taken from what is sent.
                Deducted(TransferFee, Convert(fees.TransferFeeMinor, debitCurrency, transferCurrency, c));
                Deducted(UrgentFee, Convert(fees.UrgentFeeMinor, debitCurrency, transferCurrency, c));
                Deducted(CorrespondentFee, fees.CorrespondentFeeMinor);
                break;
            default:
                // Shared (and FollowingServiceLevel, where the tariff allows it): each side pays its own bank.
                Debtor(TransferFee, fees.TransferFeeMinor);
                Debtor(UrgentFee, fees.UrgentFeeMinor);
                Deducted(CorrespondentFee, fees.CorrespondentFeeMinor);
                break;
        }

        return new InternationalPrice(principal, debtorFee, transfer, deducted, transfer - deducted, atMid, charges);
    }

    public static string ChargesJson(IReadOnlyList<InternationalCharge> charges) => JsonSerializer.Serialize(charges);

    public static IReadOnlyList<InternationalCharge> Charges(string? json)
        => json is null ? [] : JsonSerializer.Deserialize<List<InternationalCharge>>(json) ?? [];
}
