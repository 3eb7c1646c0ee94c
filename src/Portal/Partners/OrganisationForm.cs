using System.ComponentModel.DataAnnotations;
using OpenBanking.Portal.Domain;

namespace OpenBanking.Portal.Partners;

/// <summary>What a partner enters to register (or update) their organisation.</summary>
public sealed class OrganisationForm
{
    [Required(ErrorMessage = "Enter the organisation's legal name.")]
    [StringLength(200, MinimumLength = 2, ErrorMessage = "The legal name is 2 to 200 characters.")]
    public string? LegalName { get; set; }

    [Required(ErrorMessage = "Enter the company registration number.")]
    [RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9 \-/]{2,49}$", ErrorMessage = "Use 3 to 50 letters, digits, spaces, '-' or '/'.")]
    public string? RegistrationNumber { get; set; }

    [Required(ErrorMessage = "Choose the country of registration.")]
    [RegularExpression("^[A-Z]{2}$", ErrorMessage = "Choose a country.")]
    public string? Country { get; set; }

    [Required(ErrorMessage = "Enter the organisation's website.")]
    [StringLength(300)]
    [HttpsAddress]
    public string? Website { get; set; }

    [Required(ErrorMessage = "Enter a contact name.")]
    [StringLength(200, ErrorMessage = "The contact name is at most 200 characters.")]
    public string? ContactName { get; set; }

    [Required(ErrorMessage = "Enter a contact e-mail address.")]
    [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
    [StringLength(256)]
    public string? ContactEmail { get; set; }

    [AtLeastOneRole]
    public bool AccountInformation { get; set; }

    public bool PaymentInitiation { get; set; }

    public bool FundsConfirmation { get; set; }

    [Required(ErrorMessage = "Describe your wallet in a few sentences.")]
    [StringLength(2000, MinimumLength = 20, ErrorMessage = "Describe your wallet in 20 to 2,000 characters.")]
    public string? Description { get; set; }

    public OrganisationRoles Roles =>
        (AccountInformation ? OrganisationRoles.AccountInformation : 0)
        | (PaymentInitiation ? OrganisationRoles.PaymentInitiation : 0)
        | (FundsConfirmation ? OrganisationRoles.FundsConfirmation : 0);

    public static OrganisationForm From(Organisation organisation) => new()
    {
        LegalName = organisation.LegalName,
        RegistrationNumber = organisation.RegistrationNumber,
        Country = organisation.Country,
        Website = organisation.Website,
        ContactName = organisation.ContactName,
        ContactEmail = organisation.ContactEmail,
        Description = organisation.Description,
        AccountInformation = organisation.RequestedRoles.HasFlag(OrganisationRoles.AccountInformation),
        PaymentInitiation = organisation.RequestedRoles.HasFlag(OrganisationRoles.PaymentInitiation),
        FundsConfirmation = organisation.RequestedRoles.HasFlag(OrganisationRoles.FundsConfirmation),
    };

    public void EnsureValid() => FormValidation.EnsureValid(this);
}

/// <summary>On the first role's field, so the message shows with the other field errors (not only once they pass).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AtLeastOneRoleAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
        => validationContext.ObjectInstance is OrganisationForm { Roles: OrganisationRoles.None }
            ? new ValidationResult("Choose at least one role.", [validationContext.MemberName ?? nameof(OrganisationForm.AccountInformation)])
            : ValidationResult.Success;
}

/// <summary>An absolute https:// address with a host.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpsAddressAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
        => value is not string text || string.IsNullOrWhiteSpace(text)
            || (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host))
                ? ValidationResult.Success
                : new ValidationResult("Enter the website as an https:// address.", [validationContext.MemberName ?? "Website"]);
}
