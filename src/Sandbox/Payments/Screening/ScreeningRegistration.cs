using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>Cross-border screening (issue 18).</summary>
public static class ScreeningRegistration
{
    // FOUNDATION PLACEHOLDER (issue 18): the screening package replaces this file with the real screening.
    public static IHostApplicationBuilder AddCreditorScreening(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ICreditorScreening, PlaceholderScreening>();
        return builder;
    }

    private sealed class PlaceholderScreening : ICreditorScreening
    {
        public IReadOnlyList<ObError> CheckIdentifiers(CreditorDetails creditor) => [];

        public ScreeningResult Screen(CreditorDetails creditor, long debitAmountMinor, string debitCurrency, IReadOnlySet<string> countriesPaidBefore)
            => ScreeningResult.Nothing;
    }
}
