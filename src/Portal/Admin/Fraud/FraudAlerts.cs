using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Admin.Fraud;

/// <summary>One alert of the dashboard: who it is about (null: every partner) and what jumped, in words.</summary>
public sealed record FraudAlert(string? OrganisationId, string Message);

/// <summary>
/// When held payments or the flagged rate jump: the last window against the 24 hours before it, per minute for held
/// payments (the windows differ in length) and as a share of scored payments for the rate.
/// </summary>
public static class FraudAlerts
{
    public static IReadOnlyList<FraudAlert> Evaluate(FraudSummary summary, FraudMonitoringOptions options, Func<string, string> partnerName)
    {
        var alerts = new List<FraudAlert>();
        Check(null, "All partners", summary.Recent, summary.Baseline);
        foreach (var tenant in summary.Tenants)
        {
            Check(tenant.OrganisationId, partnerName(tenant.OrganisationId), tenant.Recent, tenant.Baseline);
        }

        return alerts;

        void Check(string? organisationId, string who, FraudCounts recent, FraudCounts baseline)
        {
            var window = Math.Max(1, summary.WindowMinutes);
            var baselineMinutes = summary.BaselineHours * 60.0;
            var heldPerMinute = (double)recent.Held / window;
            var baselineHeldPerMinute = baseline.Held / baselineMinutes;
            if (recent.Held >= options.MinimumHeld && heldPerMinute > options.JumpFactor * baselineHeldPerMinute)
            {
                alerts.Add(new FraudAlert(organisationId, $"{who}: {recent.Held} payments held for review in the last {window} minutes"
                    + (baseline.Held == 0 ? ", none in the 24 hours before." : $", against {baselineHeldPerMinute * window:0.#} in a usual {window} minutes.")));
            }

            if (recent.Scored >= options.MinimumScored && recent.FlaggedRate is { } rate && rate >= options.MinimumFlaggedRate
                && (baseline.FlaggedRate is not { } usual || rate > options.JumpFactor * usual))
            {
                alerts.Add(new FraudAlert(organisationId, $"{who}: {rate:P0} of payments held or rejected in the last {window} minutes"
                    + (baseline.FlaggedRate is { } before ? $", against {before:P1} in the 24 hours before." : ", with no payments in the 24 hours before.")));
            }
        }
    }
}
