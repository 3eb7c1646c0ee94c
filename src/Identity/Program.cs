using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Endpoints;
using OpenBanking.Identity.Extensions;
using OpenBanking.Identity.Grants;
using OpenBanking.ServiceDefaults.Encryption;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();
builder.AddClientManagement();
builder.AddIdentityRateLimits();

var app = builder.Build();

// `rotate-keys` / `reencrypt`: key rotation for encrypted columns (docs/encryption-at-rest.md), not the service.
if (ColumnKeyRotationCommand.IsKeyCommand(args))
{
    return await app.RunKeyCommandAsync(args);
}

app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();

// Before authentication: OpenIddict checks client secrets there.
app.UseRateLimiter();
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
app.MapUserDataApi();
app.MapGrantsApi();

app.Run();
return 0;
