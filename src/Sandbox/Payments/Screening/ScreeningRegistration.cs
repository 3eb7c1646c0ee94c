namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>Cross-border screening (issue 18, docs/screening.md).</summary>
public static class ScreeningRegistration
{
    public static IHostApplicationBuilder AddCreditorScreening(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ScreeningOptions>(builder.Configuration.GetSection(ScreeningOptions.SectionName));
        builder.Services.AddSingleton(_ => SanctionsList.Sample());
        builder.Services.AddSingleton<ICreditorScreening, CreditorScreening>();
        return builder;
    }
}
