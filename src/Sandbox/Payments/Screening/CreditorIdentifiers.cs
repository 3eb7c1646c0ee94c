using System.Text.RegularExpressions;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>
/// The payee's account and agent identifiers checked per scheme (docs/screening.md): malformed →
/// <c>UK.OBIE.Field.Invalid</c>; well formed but not usable here → <c>UK.OBIE.Unsupported.AccountIdentifier</c>;
/// unknown scheme → <c>UK.OBIE.Unsupported.Scheme</c>. Every error names its field; all are reported at once.
/// </summary>
public static partial class CreditorIdentifiers
{
    public const string Iban = "UK.OBIE.IBAN";
    public const string SortCodeAccountNumber = "UK.OBIE.SortCodeAccountNumber";
    public const string Bban = "UK.OBIE.BBAN";
    public const string Bic = "UK.OBIE.BICFI";
    public const string NccPrefix = "UK.OBIE.NCC.";

    public static IReadOnlyList<ObError> Check(CreditorDetails creditor)
    {
        var errors = new List<ObError>();
        var account = creditor.PathPrefix + ".CreditorAccount";
        var agent = creditor.PathPrefix + ".CreditorAgent";
        var destinationPath = creditor.PathPrefix + ".DestinationCountryCode";
        void Add(string code, string message, string path) => errors.Add(new ObError(code, message, path));

        var destination = creditor.DestinationCountryCode;
        if (destination is not null && !Countries.IsKnown(destination))
        {
            Add(ObieErrorCodes.FieldInvalid, $"{destination} is not an ISO 3166 country code.", destinationPath);
            destination = null;
        }

        var agentCountry = CheckAgent(creditor, agent, Add);
        var id = creditor.Identification;
        switch (creditor.SchemeName)
        {
            case Iban:
                if (!IbanShape().IsMatch(id))
                {
                    Add(ObieErrorCodes.FieldInvalid, "An IBAN is two capital letters, two check digits and up to 30 letters or digits, without spaces.", account + ".Identification");
                }
                else if (!Countries.IbanLengths.TryGetValue(id[..2], out var length))
                {
                    if (Countries.IsKnown(id[..2]))
                    {
                        Add(ObieErrorCodes.UnsupportedAccountIdentifier, $"{id[..2]} does not use IBANs (it is not in the IBAN registry); use {Bban} with the CreditorAgent.", account + ".Identification");
                    }
                    else
                    {
                        Add(ObieErrorCodes.FieldInvalid, $"An IBAN starts with its country code; {id[..2]} is not a country.", account + ".Identification");
                    }
                }
                else if (id.Length != length)
                {
                    Add(ObieErrorCodes.FieldInvalid, $"An IBAN of {id[..2]} has {length} characters; this one has {id.Length}.", account + ".Identification");
                }
                else if (!ObieValidator.IsIban(id))
                {
                    Add(ObieErrorCodes.FieldInvalid, "The IBAN's check digits do not match (ISO 13616 mod 97): a character is mistyped.", account + ".Identification");
                }
                else if (destination is not null && destination != id[..2])
                {
                    Add(ObieErrorCodes.FieldInvalid, $"DestinationCountryCode {destination} differs from the IBAN's country {id[..2]}.", destinationPath);
                }

                break;

            case SortCodeAccountNumber:
                if (!SortCodeAccountShape().IsMatch(id))
                {
                    Add(ObieErrorCodes.FieldInvalid, "A sort code and account number is 14 digits (6 + 8).", account + ".Identification");
                }
                else if (id.StartsWith("000000", StringComparison.Ordinal))
                {
                    Add(ObieErrorCodes.FieldInvalid, "Sort code 00-00-00 does not exist.", account + ".Identification");
                }
                else if (creditor.TransferCurrency != "GBP")
                {
                    Add(ObieErrorCodes.UnsupportedAccountIdentifier, $"A sort code and account number takes GBP only; send {creditor.TransferCurrency} to an IBAN, or BBAN with the CreditorAgent.", account + ".Identification");
                }
                else if (destination is not null && destination != Countries.Home)
                {
                    Add(ObieErrorCodes.FieldInvalid, $"A sort code and account number is in GB, not {destination}.", destinationPath);
                }

                break;

            case Bban:
                var country = destination ?? agentCountry;
                if (!BbanShape().IsMatch(id))
                {
                    Add(ObieErrorCodes.FieldInvalid, "A BBAN is 1 to 34 capital letters or digits, without spaces.", account + ".Identification");
                }
                else if (country is not null && Countries.IbanLengths.ContainsKey(country))
                {
                    Add(ObieErrorCodes.UnsupportedAccountIdentifier, $"{country} uses IBANs; a BBAN is accepted only for countries without them (US, JP, IN, CN, …).", account + ".Identification");
                }

                if (creditor.AgentSchemeName is null)
                {
                    Add(ObieErrorCodes.FieldExpected, "A BBAN needs the CreditorAgent (a BIC or a national clearing code) to say which bank holds it.", agent);
                }

                break;

            case "UK.OBIE.PAN" or "UK.OBIE.Paym" or "UK.OBIE.Wallet":
                Add(ObieErrorCodes.UnsupportedScheme, $"{creditor.SchemeName} cannot receive a payment abroad; use {Iban}, {Bban} or {SortCodeAccountNumber}.", account + ".SchemeName");
                break;

            default:
                Add(ObieErrorCodes.UnsupportedScheme, $"Unknown scheme {creditor.SchemeName}; use {Iban}, {Bban} or {SortCodeAccountNumber}.", account + ".SchemeName");
                break;
        }

        return errors;
    }

    /// <summary>The country of an IBAN, BIC or national clearing code, when the identifier is well formed.</summary>
    public static string? IbanCountry(CreditorDetails creditor)
        => creditor.SchemeName == Iban && IbanShape().IsMatch(creditor.Identification) ? creditor.Identification[..2] : null;

    public static string? AgentCountry(CreditorDetails creditor) => creditor switch
    {
        { AgentSchemeName: Bic, AgentIdentification: { } bic } when BicShape().IsMatch(bic) => bic[4..6],
        { AgentSchemeName: { } scheme } when scheme.StartsWith(NccPrefix, StringComparison.Ordinal) && Countries.IsKnown(scheme[NccPrefix.Length..]) => scheme[NccPrefix.Length..],
        _ => null,
    };

    public static bool IsAbaRoutingNumber(string value)
    {
        if (!AbaShape().IsMatch(value))
        {
            return false;
        }

        // ABA checksum: weights 3, 7, 1 repeated; the weighted sum of all nine digits is a multiple of 10.
        int[] weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (value[i] - '0') * weights[i];
        }

        return sum % 10 == 0;
    }

    public static bool IsBic(string value) => BicShape().IsMatch(value) && Countries.IsKnown(value[4..6]);

    public static bool IsIfsc(string value) => IfscShape().IsMatch(value);

    private static string? CheckAgent(CreditorDetails creditor, string agent, Action<string, string, string> add)
    {
        if (creditor is not { AgentSchemeName: { } scheme, AgentIdentification: { } id })
        {
            return null;
        }

        if (scheme == Bic)
        {
            if (!BicShape().IsMatch(id))
            {
                add(ObieErrorCodes.FieldInvalid, "A BIC is 8 or 11 characters: 4 letters (bank), 2 letters (country), 2 letters or digits (location), and optionally 3 (branch).", agent + ".Identification");
                return null;
            }

            if (!Countries.IsKnown(id[4..6]))
            {
                add(ObieErrorCodes.FieldInvalid, $"Characters 5 and 6 of a BIC are its country; {id[4..6]} is not an ISO 3166 country.", agent + ".Identification");
                return null;
            }

            return id[4..6];
        }

        var country = scheme.StartsWith(NccPrefix, StringComparison.Ordinal) ? scheme[NccPrefix.Length..] : null;
        if (!Countries.IsKnown(country))
        {
            add(ObieErrorCodes.UnsupportedScheme, $"Unknown agent scheme {scheme}; use {Bic} or {NccPrefix}<country> (e.g. {NccPrefix}IN with an IFSC).", agent + ".SchemeName");
            return null;
        }

        var (valid, rule) = country switch
        {
            "IN" => (IsIfsc(id), "An IFSC is 11 characters: 4 letters (bank), 0, then 6 letters or digits (branch)."),
            "US" => (IsAbaRoutingNumber(id), "An ABA routing number is 9 digits whose checksum (weights 3, 7, 1) is a multiple of 10."),
            "GB" => (SortCodeShape().IsMatch(id) && id != "000000", "A UK sort code is 6 digits, not 000000."),
            _ => (NccShape().IsMatch(id), "A national clearing code is 1 to 35 capital letters or digits."),
        };
        if (!valid)
        {
            add(ObieErrorCodes.FieldInvalid, rule, agent + ".Identification");
            return null;
        }

        return country;
    }

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}[A-Z0-9]+$")]
    private static partial Regex IbanShape();

    [GeneratedRegex("^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
    private static partial Regex BicShape();

    [GeneratedRegex("^[0-9]{14}$")]
    private static partial Regex SortCodeAccountShape();

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SortCodeShape();

    [GeneratedRegex("^[A-Z0-9]{1,34}$")]
    private static partial Regex BbanShape();

    [GeneratedRegex("^[A-Z]{4}0[A-Z0-9]{6}$")]
    private static partial Regex IfscShape();

    [GeneratedRegex("^[0-9]{9}$")]
    private static partial Regex AbaShape();

    [GeneratedRegex("^[A-Z0-9]{1,35}$")]
    private static partial Regex NccShape();
}
