using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBanking.Shared;

[assembly: AssemblyFixture(typeof(OpenBanking.EndToEnd.Tests.PlatformFixture))]

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The whole platform, started once per test run from the real AppHost: four services on random ports, each on a
/// fresh SQLite database in a temporary folder, with the dashboard off.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly string[] Services =
        [PlatformServices.Identity, PlatformServices.Sandbox, PlatformServices.Gateway, PlatformServices.Portal];

    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "openbanking-e2e", Guid.NewGuid().ToString("N"));
    private DistributedApplication? _app;
    private ResourceLogCapture? _logs;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform is not started.");

    public Uri EndpointOf(string service) => App.GetEndpoint(service, "http");

    /// <summary>All the services' log output since before they started (see <see cref="ResourceLogCapture"/>).</summary>
    public ResourceLogCapture Logs => _logs ?? throw new InvalidOperationException("The platform is not started.");

    public async ValueTask InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--DataRoot={_dataRoot}"],
            (options, _) => options.DisableDashboard = true,
            TestContext.Current.CancellationToken);

        // Start-up health probes fail until each service listens; those expected failures are noise in test output.
        // The services' own logs arrive as "<AppHost>.Resources.<service>" at Information (the AppHost's
        // appsettings.json says Default: Information, which beats SetMinimumLevel): on a failed run they buried the
        // failing test's message under thousands of request lines, so only their warnings and errors are kept.
        appHost.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("OpenBanking.AppHost.Resources", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Polly", LogLevel.Error));

        // The privacy test reads every service's log output: the framework's request lines (with their query strings),
        // OpenIddict's request logging and YARP's forwarding lines are written too, so that they are checked as well.
        foreach (var service in Services)
        {
            appHost.CreateResourceBuilder<ProjectResource>(service)
                .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore.Hosting", "Information")
                .WithEnvironment("Logging__LogLevel__OpenIddict", "Information")
                .WithEnvironment("Logging__LogLevel__Yarp", "Information")
                .WithEnvironment("Logging__LogLevel__System.Net.Http.HttpClient", "Information");
        }

        _app = await appHost.BuildAsync(TestContext.Current.CancellationToken);
        _logs = new ResourceLogCapture(_app, Services);

        // Start-up includes building nothing (the projects are built with this one) but migrating four databases and
        // generating the demo bank; with every test project running at once on 2 cores that once took over 3 minutes.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await _app.StartAsync(timeout.Token);

        var notifications = _app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var service in Services)
        {
            await notifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_logs is not null)
        {
            await _logs.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans its temp folder.
        }
    }
}
