using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>Screening thresholds (section <c>Screening</c>); docs/screening.md.</summary>
public sealed class ScreeningOptions
{
    public const string SectionName = "Screening";

    /// <summary>A TokenSortRatio score from which a payee's name is a sanctions hit (held for review).</summary>
    public int SanctionsThreshold { get; set; } = 90;

    /// <summary>From this score up to the threshold the name is a possible match: risk points, no hold.</summary>
    public int PossibleMatchThreshold { get; set; } = 80;

    /// <summary>Major units of the debit currency from which a payment abroad counts as large.</summary>
    public decimal LargeAmount { get; set; } = 5_000m;
}

/// <summary>
/// Cross-border screening (docs/screening.md): identifiers per scheme, the payee's name against the sanctions sample,
/// and the countries the money goes to. Outcome: a sanctions hit holds the payment for review, an embargoed country
/// rejects it; the other findings only add risk points.
/// </summary>
public sealed class CreditorScreening(SanctionsList sanctions, IOptionsMonitor<ScreeningOptions> options) : ICreditorScreening
{
    public const int SanctionsHitPoints = 55;
    public const int EmbargoPoints = 95;
    public const int HighRiskPoints = 30;
    public const int PossibleMatchPoints = 20;
    public const int LargeAmountPoints = 20;
    public const int NewDestinationPoints = 10;

    public IReadOnlyList<ObError> CheckIdentifiers(CreditorDetails creditor) => CreditorIdentifiers.Check(creditor);

    public ScreeningResult Screen(CreditorDetails creditor, long debitAmountMinor, string debitCurrency, IReadOnlySet<string> countriesPaidBefore)
    {
        var settings = options.CurrentValue;
        var outcome = ScreeningOutcome.Clear;
        var findings = new List<ScreeningFinding>();

        if (sanctions.BestMatch(creditor.Name) is { } match)
        {
            if (match.Score >= settings.SanctionsThreshold)
            {
                outcome = ScreeningOutcome.Review;
                findings.Add(new(SanctionsHitPoints, $"SanctionsNameMatch: '{creditor.Name}' ~ '{match.ListedName}' ({match.Score})"));
            }
            else if (match.Score >= settings.PossibleMatchThreshold)
            {
                findings.Add(new(PossibleMatchPoints, $"PossibleSanctionsMatch: '{creditor.Name}' ~ '{match.ListedName}' ({match.Score})"));
            }
        }

        var countries = CountriesOf(creditor);
        var embargoed = countries.Where(Countries.Embargoed.Contains).ToList();
        if (embargoed.Count > 0)
        {
            outcome = ScreeningOutcome.Reject;
            findings.Add(new(EmbargoPoints, $"EmbargoedCountry: {string.Join(", ", embargoed)}"));
        }
        else if (countries.Where(Countries.HighRisk.Contains).ToList() is { Count: > 0 } highRisk)
        {
            findings.Add(new(HighRiskPoints, $"HighRiskCountry: {string.Join(", ", highRisk)}"));
        }

        if (Destination(creditor) is { } destination && destination != Countries.Home && !countriesPaidBefore.Contains(destination))
        {
            findings.Add(new(NewDestinationPoints, $"NewDestinationCountry: {destination}"));
        }

        if (debitAmountMinor >= Currencies.ToMinor(settings.LargeAmount, debitCurrency))
        {
            findings.Add(new(LargeAmountPoints, $"LargeCrossBorderAmount: {Money.DisplayIn(debitAmountMinor, debitCurrency)}"));
        }

        return new ScreeningResult(outcome, findings);
    }

    /// <summary>
    /// Where the money is going: the stated destination, else the country of the IBAN, the agent's BIC or clearing
    /// code, else the payee's address.
    /// </summary>
    public static string? Destination(CreditorDetails creditor)
        => new[] { creditor.DestinationCountryCode, CreditorIdentifiers.IbanCountry(creditor), CreditorIdentifiers.AgentCountry(creditor) }
            .Concat(creditor.AddressCountries)
            .FirstOrDefault(Countries.IsKnown);

    /// <summary>Every country the payment touches: destination, IBAN, agent and postal addresses.</summary>
    public static IReadOnlyList<string> CountriesOf(CreditorDetails creditor)
        => [.. new[] { creditor.DestinationCountryCode, CreditorIdentifiers.IbanCountry(creditor), CreditorIdentifiers.AgentCountry(creditor) }
            .Concat(creditor.AddressCountries)
            .Where(Countries.IsKnown)
            .Select(c => c!)
            .Distinct()];
}
