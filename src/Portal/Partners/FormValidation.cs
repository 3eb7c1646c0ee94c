using System.ComponentModel.DataAnnotations;

namespace OpenBanking.Portal.Partners;

/// <summary>
/// The data-annotation rules of a form, checked the same way in the browser (<c>FormValidator</c>) and on the server
/// (<see cref="EnsureValid"/>), so a crafted request cannot skip them and a person sees every problem at once.
/// </summary>
internal static class FormValidation
{
    /// <summary>
    /// Every problem of the form by member name ("" for none). Unlike <see cref="Validator.TryValidateObject(object, ValidationContext, ICollection{ValidationResult}?, bool)"/>
    /// alone, the form's own <see cref="IValidatableObject"/> rules run even when a field's attribute already failed:
    /// a wrong name must not hide a wrong redirect URI until the name is fixed.
    /// </summary>
    public static Dictionary<string, string[]> Errors(object form)
    {
        var results = new List<ValidationResult>();
        foreach (var property in form.GetType().GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            Validator.TryValidateProperty(property.GetValue(form), new ValidationContext(form) { MemberName = property.Name }, results);
        }

        if (form is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(new ValidationContext(form)));
        }

        return results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: m, Message: r.ErrorMessage ?? "Check this value.")))
            .GroupBy(r => r.Member, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public static void EnsureValid(object form)
    {
        var errors = Errors(form);
        if (errors.Count > 0)
        {
            throw new PortalValidationException(errors);
        }
    }
}
