using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Endpoints;
using OpenBanking.Identity.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();
builder.AddClientManagement();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.UseAuthentication();
app.UseAuthorization();

app.MapStaticAssets();
app.MapDefaultEndpoints();
app.MapRazorPages();
app.MapTokenEndpoint();
app.MapClientsApi();

app.Run();
