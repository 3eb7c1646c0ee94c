using Microsoft.Extensions.Hosting;
using OpenBanking.AppHost;
using OpenBanking.Shared;

var builder = DistributedApplication.CreateBuilder(args);

// Each service owns its database (SQLite files under src/<Service>/data by default). Ports come from each
// project's launch profile (5000-5003), so the URLs are the same as when a service runs alone.
var identity = builder.AddProject<Projects.Identity>(PlatformServices.Identity)
    .WithHttpHealthCheck("/health")
    .WithDataRoot(builder);

var sandbox = builder.AddProject<Projects.Sandbox>(PlatformServices.Sandbox)
    .WithHttpHealthCheck("/health")
    .WithDataRoot(builder)
    .WithReference(identity)
    .WaitFor(identity);

// Identity drives the consent journey through the Sandbox's internal endpoints (a reference, not a wait: the
// Sandbox waits for Identity's keys).
identity.WithReference(sandbox);

var gateway = builder.AddProject<Projects.Gateway>(PlatformServices.Gateway)
    .WithHttpHealthCheck("/health")
    .WithDataRoot(builder)
    .WithReference(identity)
    .WithReference(sandbox)
    .WaitFor(identity);

var portal = builder.AddProject<Projects.Portal>(PlatformServices.Portal)
    .WithHttpHealthCheck("/health")
    .WithDataRoot(builder)
    .WithReference(identity)
    .WithReference(gateway)
    .WithReference(sandbox)
    .WaitFor(identity);

// The Portal shows developers (and sends browsers to) Identity's and the gateway's addresses as they actually are.
portal
    .WithEnvironment("Platform__IdentityUrl", ReferenceExpression.Create($"{identity.GetEndpoint("http")}/"))
    .WithEnvironment("Platform__GatewayUrl", ReferenceExpression.Create($"{gateway.GetEndpoint("http")}/"));

// The Portal signs users in at Identity: its redirect URIs are wherever the Portal actually listens.
var portalUrl = portal.GetEndpoint("http");
identity
    .WithEnvironment("Identity__PortalClient__RedirectUris__0", ReferenceExpression.Create($"{portalUrl}/signin-oidc"))
    .WithEnvironment("Identity__PortalClient__PostLogoutRedirectUris__0", ReferenceExpression.Create($"{portalUrl}/signout-callback-oidc"));

var app = builder.Build();
await app.StartAsync();
await app.PrintWhereToGoAsync();
await app.WaitForShutdownAsync();
