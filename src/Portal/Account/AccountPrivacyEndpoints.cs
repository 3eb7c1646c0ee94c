using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenBanking.Portal.Authentication;
using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.Account;

/// <summary>
/// The two steps of the account page that need a plain HTTP response rather than the interactive circuit: the download
/// (an attachment) and the end of the session after an erasure (a cookie can only be removed by a response).
/// </summary>
public static class AccountPrivacyEndpoints
{
    public const string DownloadPath = "/account/my-data";
    public const string DeletedPath = "/account/deleted";
    public const string GoodbyePath = "/account/goodbye";

    public static IEndpointRouteBuilder MapAccountPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").ExcludeFromDescription();
        group.MapGet("/my-data", DownloadAsync);
        group.MapGet("/deleted", SignOutDeletedAsync);
        return app;
    }

    /// <summary>The signed-in person's data as one JSON file. Only ever their own: the subject comes from the session cookie.</summary>
    public static async Task<IResult> DownloadAsync(HttpContext context, AccountPrivacyService privacy, TimeProvider clock, CancellationToken ct)
    {
        if (PortalActor.From(context.User) is not { } actor)
        {
            // Signed out (or the session ended): sign in, then back to the account page with the button.
            return TypedResults.Redirect("/account/sign-in?returnUrl=%2Faccount");
        }

        try
        {
            var export = await privacy.ExportAsync(actor, ct);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(export, AccountPrivacyService.ExportJson);
            // Personal data: no cache anywhere may keep a copy.
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.File(bytes, "application/json", $"my-data-{clock.GetUtcNow():yyyy-MM-dd}.json");
        }
        catch (PortalRefusalException refusal)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Your data could not be gathered", detail: refusal.Message);
        }
    }

    /// <summary>
    /// Where the account page sends the browser after an erasure: the Portal session ends here, at once, and the person
    /// lands on a public page. Only a session whose account Identity no longer knows is ended, so a link to this address
    /// cannot sign anyone else out; a person whose account still stands goes back to the account page.
    /// </summary>
    public static async Task<IResult> SignOutDeletedAsync(HttpContext context, UserStanding standing, CancellationToken ct)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            bool stillValid;
            try
            {
                stillValid = await standing.IsStillValidAsync(context.User, ct);
            }
            catch (Exception exception) when (exception is HttpRequestException or Platform.PlatformServiceException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                stillValid = true;
            }

            if (stillValid)
            {
                return TypedResults.Redirect("/account");
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        return TypedResults.Redirect(GoodbyePath);
    }
}
