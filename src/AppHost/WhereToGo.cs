using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Shared;

namespace OpenBanking.AppHost;

internal static class WhereToGo
{
    /// <summary>Once every service is healthy, tells the developer where everything is.</summary>
    public static async Task PrintWhereToGoAsync(this DistributedApplication app)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        string[] services = [PlatformServices.Identity, PlatformServices.Sandbox, PlatformServices.Gateway, PlatformServices.Portal];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            foreach (var service in services)
            {
                await notifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Not every service became healthy within 5 minutes; open the dashboard to see which.");
            return;
        }

        Console.WriteLine($"""

            ================================================================
             Open Banking Developer Platform is running
               Portal    http://localhost:{PlatformServices.DevelopmentPorts[PlatformServices.Portal]}   (start here)
               Identity  http://localhost:{PlatformServices.DevelopmentPorts[PlatformServices.Identity]}   (/.well-known/openid-configuration)
               Gateway   http://localhost:{PlatformServices.DevelopmentPorts[PlatformServices.Gateway]}   (/open-banking/v3.1/...)
               Sandbox   http://localhost:{PlatformServices.DevelopmentPorts[PlatformServices.Sandbox]}   (internal)
               Dashboard: the "Login to the dashboard at" link above
             Development logins are listed in README.md. Ctrl+C stops everything.
            ================================================================

            """);
    }
}
