// The benchmark's yardstick (bench/gateway.sh): one YARP route to the Sandbox and nothing else — no authentication,
// no policies, no rate limits, no call log — the most any YARP gateway can do on this machine.
using Yarp.ReverseProxy.Configuration;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var destination = builder.Configuration["Destination"] ?? "http://127.0.0.1:5003";
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "sandbox", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig { ClusterId = "sandbox", Destinations = new Dictionary<string, DestinationConfig> { ["sandbox"] = new() { Address = destination } } }]);

var app = builder.Build();
app.MapReverseProxy();
app.Run();
