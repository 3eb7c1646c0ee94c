using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using OpenBanking.Portal.Extensions;

namespace OpenBanking.Portal.ComponentTests;

/// <summary>
/// A bUnit context set up as MudBlazor's own tests are: loose JS interop (MudBlazor calls JS for theming and
/// popovers) and the MudBlazor services, plus the Portal's options.
/// </summary>
public abstract class PortalTestContext : BunitContext
{
    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Options.Create(new PlatformOptions
        {
            IdentityUrl = new Uri("https://identity.example/"),
            GatewayUrl = new Uri("https://gateway.example/"),
        }));
        Authorization = AddAuthorization();
    }

    /// <summary>Who is signed in (nobody until a test says so).</summary>
    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Renders as the running Portal does: interactive server rendering. Call after adding services.</summary>
    protected void RenderInteractively()
        => Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
}
