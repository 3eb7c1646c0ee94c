using OpenBanking.Portal.Account;
using OpenBanking.Portal.Authentication;
using OpenBanking.Portal.Components;
using OpenBanking.Portal.Components.Layout;
using OpenBanking.Portal.Extensions;
using OpenBanking.Portal.Reference;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPortalServices();
builder.AddPortalAuthentication();
builder.AddPortalHardening();

var app = builder.Build();

app.UsePortalHardening();
app.UseThemeClientHint();
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapPortalAccountEndpoints();
app.MapAccountPrivacyEndpoints();
app.MapCallbackCatcher();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
