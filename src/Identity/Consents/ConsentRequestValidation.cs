using OpenBanking.Identity.Platform;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Consents;

/// <summary>
/// A pushed authorization request must name the Open Banking consent it asks the customer to authorise
/// (<c>consent_id</c>), and the Sandbox must know it as this client's consent, still awaiting authorisation, of a
/// kind the requested scope covers. Checked before a <c>request_uri</c> is issued, so a customer is never sent to
/// authorise something that cannot be authorised.
/// </summary>
public sealed class ConsentRequestValidation(SandboxClient sandbox, IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidatePushedAuthorizationRequestContext>()
            .UseScopedHandler<ConsentRequestValidation>()
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context)
    {
        // The developer portal signs its own users in: no consent involved, and no Open Banking scope may be asked.
        if (await IsFirstPartyAsync(context.ClientId, context.CancellationToken))
        {
            if (context.Request.GetScopes().Intersect(PlatformScopes.OpenBanking).Any())
            {
                context.Reject(Errors.InvalidScope, "The portal's sign-in carries no Open Banking scope.");
            }

            return;
        }

        var consentId = (string?)context.Request[ConsentGrants.ConsentIdParameter];
        if (string.IsNullOrWhiteSpace(consentId))
        {
            context.Reject(Errors.InvalidRequest, "The consent_id parameter is required: create the consent first, then push its id.");
            return;
        }

        SandboxConsent? consent;
        try
        {
            consent = await sandbox.GetConsentAsync(consentId, context.CancellationToken);
        }
        catch (HttpRequestException)
        {
            context.Reject(Errors.TemporarilyUnavailable, "The bank cannot check the consent right now; try again shortly.");
            return;
        }

        if (consent is null || consent.ClientId != context.ClientId)
        {
            context.Reject(Errors.InvalidRequest, "The consent_id does not name a consent of this client.");
            return;
        }

        if (consent.Status != SandboxConsent.AwaitingAuthorisation)
        {
            context.Reject(Errors.InvalidRequest, $"The consent is {consent.Status}; only a consent awaiting authorisation can be authorised.");
            return;
        }

        // The token will act under this consent only: it gets the scope of the consent's API and no other.
        var apiScopes = context.Request.GetScopes().Intersect(PlatformScopes.OpenBanking).ToArray();
        var needed = ConsentKindText.Scope(ConsentKindText.Of(consent));
        if (needed is null || apiScopes is not [var only] || only != needed)
        {
            context.Reject(Errors.InvalidScope, $"A {consent.Kind} consent is authorised with the {needed ?? "matching"} scope, and no other Open Banking scope.");
        }
    }

    private async Task<bool> IsFirstPartyAsync(string? clientId, CancellationToken ct)
        => clientId is not null && await applications.FindByClientIdAsync(clientId, ct) is { } application
            && Infrastructure.PortalClientSeeder.IsFirstParty(await applications.GetPropertiesAsync(application, ct));
}
