using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>
/// The payee of a payment abroad as screening sees it. <paramref name="PathPrefix"/> is where the Initiation sits in
/// the request ("Data.Initiation"), so that an error names the exact field.
/// </summary>
public sealed record CreditorDetails(
    string Name,
    string SchemeName,
    string Identification,
    string? AgentSchemeName,
    string? AgentIdentification,
    string? DestinationCountryCode,
    IReadOnlyList<string> AddressCountries,
    string TransferCurrency,
    string? LocalInstrument,
    string PathPrefix = "Data.Initiation");

/// <summary>One thing screening found, with the risk points it adds and its reason in words.</summary>
public sealed record ScreeningFinding(int Points, string Reason);

public enum ScreeningOutcome
{
    /// <summary>Nothing that stops the payment (findings may still add risk points).</summary>
    Clear,

    /// <summary>Held for the bank's review (a possible sanctions match).</summary>
    Review,

    /// <summary>Refused outright (an embargoed country, a certain sanctions match).</summary>
    Reject,
}

public sealed record ScreeningResult(ScreeningOutcome Outcome, IReadOnlyList<ScreeningFinding> Findings)
{
    public static readonly ScreeningResult Nothing = new(ScreeningOutcome.Clear, []);
}

/// <summary>Cross-border screening of payees: their identifiers, sanctions lists and destination countries.</summary>
public interface ICreditorScreening
{
    /// <summary>
    /// What is wrong with the payee's account and agent identifiers for the scheme (IBAN country length and checksum,
    /// BIC, sort code, national clearing codes), each error naming its field; empty when they are acceptable.
    /// </summary>
    IReadOnlyList<ObError> CheckIdentifiers(CreditorDetails creditor);

    /// <summary>
    /// Sanctions and country screening of a payment about to be made: <paramref name="debitAmountMinor"/> in
    /// <paramref name="debitCurrency"/> is what leaves the payer; <paramref name="countriesPaidBefore"/> the
    /// destination countries this payer has paid before.
    /// </summary>
    ScreeningResult Screen(CreditorDetails creditor, long debitAmountMinor, string debitCurrency, IReadOnlySet<string> countriesPaidBefore);
}
