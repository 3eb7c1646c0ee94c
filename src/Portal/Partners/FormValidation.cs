using System.ComponentModel.DataAnnotations;

namespace OpenBanking.Portal.Partners;

/// <summary>Server-side check of the same data-annotation rules a form shows, so a crafted request cannot skip them.</summary>
internal static class FormValidation
{
    public static void EnsureValid(object form)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(form, new ValidationContext(form), results, validateAllProperties: true);
        if (results.Count > 0)
        {
            throw new PortalValidationException(results
                .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: m, r.ErrorMessage)))
                .GroupBy(r => r.Member)
                .ToDictionary(g => g.Key, g => g.Select(r => r.ErrorMessage ?? "Invalid.").ToArray()));
        }
    }
}
