using System.Globalization;
using System.Numerics;
using System.Text;
using Bogus;

namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// The bank's numbers: its sort code, account numbers and IBANs, card numbers, other banks' accounts and mandate
/// references. Random parts come from the tenant's faker, so each call is one step of the generation's fixed order.
/// </summary>
internal sealed class Identifiers(Faker faker)
{
    public const string SortCode = "608371";

    /// <summary>Identifications of other banks' accounts start with their own sort-code prefix.</summary>
    public const string PayeeBankPrefix = "20";

    public const string SupplierBankPrefix = "40";

    public string AccountNumber() => faker.Random.Number(10000000, 99999999).ToString(CultureInfo.InvariantCulture);

    /// <summary>The bank's own card range (a Mastercard BIN), 16 digits.</summary>
    public string CardNumber()
        => "5412" + faker.Random.Number(10000000, 99999999).ToString(CultureInfo.InvariantCulture)
            + faker.Random.Number(1000, 9999).ToString(CultureInfo.InvariantCulture);

    /// <summary>The card number as a statement shows it: bank range and last four digits.</summary>
    public string MaskedCardPan() => "5412" + "********" + faker.Random.Number(1000, 9999);

    /// <summary>A sort code and account number (14 digits) at the bank whose sort codes start with <paramref name="bankPrefix"/>.</summary>
    public string AccountAt(string bankPrefix) => bankPrefix + faker.Random.Number(1000, 9999) + faker.Random.Number(10000000, 99999999);

    /// <summary>A direct debit mandate reference: up to 8 letters of the payee's name and 6 digits.</summary>
    public string Mandate(string payee)
    {
        var letters = payee.ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        return $"{letters[..Math.Min(8, letters.Length)]}{faker.Random.Number(100000, 999999)}";
    }

    /// <summary>An ISO 13616 IBAN for one of the bank's accounts: GB, check digits, bank code SBNK, sort code, account number.</summary>
    public static string Iban(string accountNumber)
    {
        var bban = "SBNK" + SortCode + accountNumber;
        var numeric = new StringBuilder();
        foreach (var ch in bban + "GB00")
        {
            numeric.Append(char.IsLetter(ch) ? (ch - 'A' + 10).ToString(CultureInfo.InvariantCulture) : ch.ToString());
        }

        var check = 98 - (int)(BigInteger.Parse(numeric.ToString(), CultureInfo.InvariantCulture) % 97);
        return $"GB{check:D2}{bban}";
    }
}
