using Microsoft.Extensions.Compliance.Redaction;

namespace OpenBanking.ServiceDefaults.Privacy;

/// <summary>Redacts personal and financial data to its keyed hash (see <see cref="Pseudonymizer"/>); empty stays empty.</summary>
public sealed class PseudonymRedactor(Pseudonymizer pseudonymizer) : Redactor
{
    /// <inheritdoc />
    public override int GetRedactedLength(ReadOnlySpan<char> input) => input.IsEmpty ? 0 : Pseudonymizer.Length;

    /// <inheritdoc />
    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (source.IsEmpty)
        {
            return 0;
        }

        pseudonymizer.Write(source, destination);
        return Pseudonymizer.Length;
    }
}
