using OpenBanking.Gateway.Infrastructure;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Gateway.Extensions;

internal static class GatewayServiceExtensions
{
    public const string ConnectionName = "GatewayDb";

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<GatewayDbContext, SqliteGatewayDbContext, SqlServerGatewayDbContext>(ConnectionName);

        // Destinations such as http://sandbox resolve through service discovery: Aspire injects the
        // addresses; alone, the "Services" section of appsettings.json gives the Development ports.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        return builder;
    }
}
