using Microsoft.AspNetCore.Identity;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>A partner developer or a bank admin (bank customers are sandbox test customers, not users here).</summary>
public sealed class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The roles of the platform's users.</summary>
public static class Roles
{
    public const string Partner = "Partner";
    public const string Admin = "Admin";
}
