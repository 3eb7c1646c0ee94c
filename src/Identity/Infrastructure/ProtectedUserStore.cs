using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenBanking.ServiceDefaults.Encryption;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>
/// ASP.NET Core Identity's user store with its user tokens (the authenticator key and the recovery codes, in
/// AspNetUserTokens.Value) encrypted at rest: whoever reads the database cannot generate a partner's second factor.
/// Every token read and written by the store passes through <see cref="GetTokenAsync"/> / <see cref="SetTokenAsync"/>,
/// so the protection sits here rather than in the EF model (whose cached model would otherwise hold one host's keys).
/// </summary>
public sealed class ProtectedUserStore(IdentityDbContext context, ColumnProtector protector, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, IdentityDbContext, string>(context, describer)
{
    /// <summary>One purpose for the column: a value moved to another column does not decrypt there.</summary>
    public const string Purpose = "Identity.AspNetUserTokens.Value";

    /// <inheritdoc />
    public override async Task<string?> GetTokenAsync(ApplicationUser user, string loginProvider, string name, CancellationToken cancellationToken)
        => protector.UnprotectOrNull(Purpose, await base.GetTokenAsync(user, loginProvider, name, cancellationToken));

    /// <inheritdoc />
    public override Task SetTokenAsync(ApplicationUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
        => base.SetTokenAsync(user, loginProvider, name, protector.ProtectOrNull(Purpose, value), cancellationToken);
}

/// <summary>AspNetUserTokens.Value for the rotation command: read by key in batches, each row rewritten only if unchanged.</summary>
internal sealed class ProtectedUserTokens : IProtectedStore
{
    public string Name => "AspNetUserTokens.Value";

    public async Task ReencryptAsync(Reencryption reencryption, IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<IdentityDbContext>();
        var tally = reencryption.Tally(Name);
        var prefix = reencryption.CurrentPrefix;
        var due = db.UserTokens.AsNoTracking().Where(t => t.Value != null && !t.Value.StartsWith(prefix));
        IdentityUserToken<string>? last = null;
        while (true)
        {
            var page = last is null
                ? due
                : due.Where(t => string.Compare(t.UserId, last.UserId) > 0
                    || (t.UserId == last.UserId && (string.Compare(t.LoginProvider, last.LoginProvider) > 0
                        || (t.LoginProvider == last.LoginProvider && string.Compare(t.Name, last.Name) > 0))));
            var batch = await page.OrderBy(t => t.UserId).ThenBy(t => t.LoginProvider).ThenBy(t => t.Name).Take(reencryption.BatchSize).ToListAsync(ct);
            foreach (var token in batch)
            {
                if (reencryption.Rewrap(tally, ProtectedUserStore.Purpose, token.Value!) is { } rewrapped)
                {
                    var written = await db.UserTokens
                        .Where(t => t.UserId == token.UserId && t.LoginProvider == token.LoginProvider && t.Name == token.Name && t.Value == token.Value)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.Value, rewrapped), ct);
                    Reencryption.Written(tally, token.Value!, written == 1);
                }
            }

            if (batch.Count < reencryption.BatchSize)
            {
                return;
            }

            last = batch[^1];
        }
    }
}
