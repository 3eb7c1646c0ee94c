using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account.Manage;

/// <summary>The signed-in landing page (the Member policy applies to the whole Manage folder).</summary>
public sealed class IndexModel(UserManager<ApplicationUser> users) : PageModel
{
    public ApplicationUser Account { get; private set; } = null!;

    public IList<string> Roles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Account = user;
        Roles = await users.GetRolesAsync(user);
        return Page();
    }
}
