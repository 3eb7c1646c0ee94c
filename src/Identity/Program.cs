using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Endpoints;
using OpenBanking.Identity.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();
builder.AddClientManagement();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.UseAuthentication();
app.UseAuthorization();

app.MapStaticAssets();
app.MapDefaultEndpoints();
app.MapRazorPages();
app.MapTokenEndpoint();
app.MapSandboxAuthorizeEndpoint();
app.MapSessionEndpoints();
app.MapClientsApi();
app.MapUserStatusApi();

app.Run();
