using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenBanking.Identity.Pages.Connect;

/// <summary>
/// Asks before signing out when a sign-out request came without an <c>id_token_hint</c>: the form posts the same
/// parameters back to /connect/endsession with the antiforgery token (Endpoints/SessionEndpoints).
/// </summary>
[AllowAnonymous]
public sealed class EndSessionModel : PageModel
{
    public IReadOnlyList<(string Name, string Value)> Parameters { get; private set; } = [];

    public void OnGet() => Parameters = [.. Request.Query
        .Where(parameter => parameter.Key != "__RequestVerificationToken")
        .SelectMany(parameter => parameter.Value.Select(value => (parameter.Key, value ?? string.Empty)))];
}
