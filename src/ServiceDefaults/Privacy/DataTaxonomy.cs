using Microsoft.Extensions.Compliance.Classification;

namespace OpenBanking.ServiceDefaults.Privacy;

/// <summary>
/// The platform's data classes. A <c>[LoggerMessage]</c> parameter that carries one of them is annotated with the
/// matching attribute (<see cref="PersonalDataAttribute"/>, <see cref="FinancialDataAttribute"/>,
/// <see cref="SecretDataAttribute"/>); the logging pipeline then redacts it before any provider sees it.
/// </summary>
public static class DataTaxonomy
{
    /// <summary>The taxonomy's name.</summary>
    public const string Name = "OpenBanking";

    /// <summary>Identifies a person: email addresses, names, usernames. Logged as a keyed hash (correlatable, not reversible).</summary>
    public static DataClassification PersonalData { get; } = new(Name, nameof(PersonalData));

    /// <summary>Financial identifiers: account numbers, sort codes, IBANs, card numbers. Logged as a keyed hash.</summary>
    public static DataClassification FinancialData { get; } = new(Name, nameof(FinancialData));

    /// <summary>Grants access: tokens, client secrets, passwords, one-time codes. Never logged (erased).</summary>
    public static DataClassification SecretData { get; } = new(Name, nameof(SecretData));
}

/// <summary>The value identifies a person (see <see cref="DataTaxonomy.PersonalData"/>).</summary>
public sealed class PersonalDataAttribute() : DataClassificationAttribute(DataTaxonomy.PersonalData);

/// <summary>The value is a financial identifier (see <see cref="DataTaxonomy.FinancialData"/>).</summary>
public sealed class FinancialDataAttribute() : DataClassificationAttribute(DataTaxonomy.FinancialData);

/// <summary>The value is a secret (see <see cref="DataTaxonomy.SecretData"/>).</summary>
public sealed class SecretDataAttribute() : DataClassificationAttribute(DataTaxonomy.SecretData);
