using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Identity.Extensions;

internal static class AccountServiceExtensions
{
    /// <summary>
    /// Partner developer and bank admin accounts: registration with email confirmation, sign-in with lockout and
    /// TOTP two-factor, password reset, and the rule that admins use two-factor (Pages/Account).
    /// </summary>
    public static IHostApplicationBuilder AddPartnerAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<IdentityOptions>(options =>
        {
            options.Password.RequiredLength = 10;
            options.Password.RequireUppercase = true;
            options.Password.RequireLowercase = true;
            options.Password.RequireDigit = true;
            options.Password.RequireNonAlphanumeric = true;
            options.User.RequireUniqueEmail = true;
            // An unconfirmed address could be anyone's; the account only works once its owner clicked the link.
            options.SignIn.RequireConfirmedEmail = true;
            options.Lockout.AllowedForNewUsers = true;
            options.Lockout.MaxFailedAccessAttempts = 5;
            options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        });

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = AccountPaths.Login;
            options.LogoutPath = AccountPaths.Logout;
            options.AccessDeniedPath = AccountPaths.AccessDenied;
            options.Cookie.HttpOnly = true;
            // Lax: the cookie must travel on top-level navigations back from the Portal, never on cross-site posts.
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Development is plain http on loopback; behind https the cookie is Secure.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            options.SlidingExpiration = true;
        });

        // A session whose account was erased, locked or changed password ends within a minute, not the default half
        // hour: the cookie is re-checked against the user row (one small query a minute per active person).
        builder.Services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(1));

        builder.Services.Configure<RouteOptions>(options => options.LowercaseUrls = true);

        builder.Services.AddSingleton<MailDrop>();
        if (builder.Environment.IsDevelopment())
        {
            // Development: messages go to the data folder and /dev/mail.
            builder.Services.AddSingleton<IMailSender, FileMailSender>();
        }
        else
        {
            // Anywhere else reset and confirmation links must reach their owner, never a file: no SMTP, no start.
            builder.Services.AddSingleton(SmtpSettings.Read(builder.Configuration));
            builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
        }

        builder.Services.AddSingleton<ReturnUrls>();
        builder.Services.AddSingleton<PasswordRules>();
        builder.Services.AddSingleton<MailQuota>();
        builder.Services.AddScoped<AccountMailer>();

        builder.Services.AddScoped<IAuthorizationHandler, AdminsUseTwoFactorHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccountAuthorizationResultHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AccountPolicies.SignedIn, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(AccountPolicies.Member, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new AdminsUseTwoFactorRequirement()));

        // Every page under Account/Manage needs a member, except the enrolment page an admin without 2FA must reach.
        builder.Services.Configure<RazorPagesOptions>(options =>
            options.Conventions.AddFolderApplicationModelConvention("/Account/Manage", page =>
                page.EndpointMetadata.Add(new AuthorizeAttribute(
                    page.ViewEnginePath == "/Account/Manage/TwoFactor" ? AccountPolicies.SignedIn : AccountPolicies.Member))));

        builder.Services.AddScoped<IDatabaseSeeder<IdentityDbContext>, AccountRoleSeeder>();

        return builder;
    }
}
