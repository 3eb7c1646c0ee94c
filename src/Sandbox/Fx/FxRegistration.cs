namespace OpenBanking.Sandbox.Fx;

/// <summary>The FX desk, contracts and charges tariff (issue 18; docs/fx.md).</summary>
public static class FxRegistration
{
    public static IHostApplicationBuilder AddFx(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<FxOptions>(builder.Configuration.GetSection(FxOptions.SectionName));
        // Singletons: the desk and the tariff are pure functions of a tenant's seed or tariff, which they cache.
        builder.Services.AddSingleton<FxDesk>();
        builder.Services.AddSingleton<IFxDesk>(services => services.GetRequiredService<FxDesk>());
        builder.Services.AddSingleton<ChargeTariff>();
        builder.Services.AddSingleton<IChargeTariff>(services => services.GetRequiredService<ChargeTariff>());
        builder.Services.AddScoped<IFxContracts, FxContracts>();
        builder.Services.AddScoped<FxContractBook>();
        return builder;
    }

    public static IEndpointRouteBuilder MapFxApi(this IEndpointRouteBuilder app) => app.MapFxEndpoints().MapTariffEndpoints();
}
