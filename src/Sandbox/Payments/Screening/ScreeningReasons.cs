using System.Text.Json;

namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>
/// Which of a payment's risk reasons came from cross-border screening, for the Portal: the findings written into
/// RiskReasons as "{Reason} (+{Points})", plus any kept in the transfer's screening record.
/// </summary>
public static class ScreeningReasons
{
    /// <summary>The reason codes <see cref="CreditorScreening"/> writes (each reason starts with one and a colon).</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        "SanctionsNameMatch", "PossibleSanctionsMatch", "EmbargoedCountry", "HighRiskCountry", "NewDestinationCountry", "LargeCrossBorderAmount",
    ];

    public static IReadOnlyList<string> Of(string riskReasons, string? screeningJson)
    {
        var reasons = riskReasons.Split("; ", StringSplitOptions.RemoveEmptyEntries).Where(IsScreening).ToList();
        foreach (var finding in Findings(screeningJson))
        {
            var line = $"{finding.Reason} (+{finding.Points})";
            if (!reasons.Contains(line, StringComparer.Ordinal))
            {
                reasons.Add(line);
            }
        }

        return reasons;
    }

    public static bool IsScreening(string reason) => Codes.Any(code => reason.StartsWith(code + ":", StringComparison.Ordinal));

    // The record is the pipeline's to shape: a ScreeningResult, or just its findings; anything else is left out.
    private static IEnumerable<ScreeningFinding> Findings(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var findings = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Findings", out var f) ? f : root;
            return findings.ValueKind != JsonValueKind.Array ? []
                : [.. findings.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("Reason", out var r) && r.ValueKind == JsonValueKind.String
                        && e.TryGetProperty("Points", out var p) && p.ValueKind == JsonValueKind.Number)
                    .Select(e => new ScreeningFinding(e.GetProperty("Points").GetInt32(), e.GetProperty("Reason").GetString()!))];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
