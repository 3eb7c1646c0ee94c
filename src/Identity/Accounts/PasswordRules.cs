using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace OpenBanking.Identity.Accounts;

/// <summary>
/// The password policy in plain words, read from the configured <see cref="PasswordOptions"/>: the sign-up and reset
/// pages list these rules before anyone types, and a password that breaks them gets the same sentences back.
/// </summary>
public sealed class PasswordRules(IOptions<IdentityOptions> options)
{
    private PasswordOptions Password => options.Value.Password;

    public int MinimumLength => Password.RequiredLength;

    /// <summary>One line per rule, e.g. "at least 10 characters", "an upper-case letter (A–Z)".</summary>
    public IReadOnlyList<string> Describe()
    {
        var rules = new List<string> { $"at least {MinimumLength.ToString(CultureInfo.InvariantCulture)} characters" };
        if (Password.RequireUppercase)
        {
            rules.Add(PlainIdentityErrors.UpperCase);
        }

        if (Password.RequireLowercase)
        {
            rules.Add(PlainIdentityErrors.LowerCase);
        }

        if (Password.RequireDigit)
        {
            rules.Add(PlainIdentityErrors.Digit);
        }

        if (Password.RequireNonAlphanumeric)
        {
            rules.Add(PlainIdentityErrors.Symbol);
        }

        if (Password.RequiredUniqueChars > 1)
        {
            rules.Add($"at least {Password.RequiredUniqueChars.ToString(CultureInfo.InvariantCulture)} different characters");
        }

        return rules;
    }
}

/// <summary>Identity's password errors in the words of <see cref="PasswordRules"/>: what to add, not what is missing.</summary>
public sealed class PlainIdentityErrors : IdentityErrorDescriber
{
    public const string UpperCase = "an upper-case letter (A–Z)";
    public const string LowerCase = "a lower-case letter (a–z)";
    public const string Digit = "a digit (0–9)";
    public const string Symbol = "a symbol, such as ! # or %";

    public override IdentityError PasswordTooShort(int length)
        => Describe(nameof(PasswordTooShort), $"Make the password at least {length.ToString(CultureInfo.InvariantCulture)} characters long.");

    public override IdentityError PasswordRequiresUpper() => Describe(nameof(PasswordRequiresUpper), $"Add {UpperCase} to the password.");

    public override IdentityError PasswordRequiresLower() => Describe(nameof(PasswordRequiresLower), $"Add {LowerCase} to the password.");

    public override IdentityError PasswordRequiresDigit() => Describe(nameof(PasswordRequiresDigit), $"Add {Digit} to the password.");

    public override IdentityError PasswordRequiresNonAlphanumeric()
        => Describe(nameof(PasswordRequiresNonAlphanumeric), $"Add {Symbol} to the password.");

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars)
        => Describe(nameof(PasswordRequiresUniqueChars), $"Use at least {uniqueChars.ToString(CultureInfo.InvariantCulture)} different characters in the password.");

    private static IdentityError Describe(string code, string description) => new() { Code = code, Description = description };
}
