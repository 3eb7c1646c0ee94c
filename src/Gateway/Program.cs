using OpenBanking.Gateway.CallLog;
using OpenBanking.Gateway.Extensions;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Gateway.Proxy;
using OpenBanking.Gateway.Readiness;
using OpenBanking.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseInteractionIds();
app.UseCallLog();
app.UseExceptionHandler();
app.UseWhen(static context => !ObieResponses.IsOpenBanking(context.Request), static other => other.UseStatusCodePages());
app.UseAddressRateLimit();
app.RefuseQueryStringTokens();

app.UseAuthentication();
// After authentication (which never reads the body), so a refused body is logged against the app that sent it.
app.UseRequestBodyLimit();
app.UseAuthorization();
app.UseRateLimiter();
app.UseSimulatedFaults();

app.MapDefaultEndpoints();
app.MapCallLogApi();
app.MapReadinessApi();
app.MapReverseProxy(proxy =>
{
    proxy.UseObieForwarderErrors();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.MapUnroutedRequests();

app.Run();
