using FuzzySharp;
using FuzzySharp.PreProcess;
using OpenBanking.Sandbox.Payments.Screening;

namespace OpenBanking.Sandbox.Payee;

/// <summary>How close the name a payer typed is to the name on the account.</summary>
public enum NameMatch
{
    None,
    Close,
    Full,
}

/// <summary>
/// Confirmation of Payee's name comparison. It starts from the sanctions screen's normalisation
/// (<see cref="SanctionsList.Normalise"/>: case, accents, punctuation, legal suffixes such as LTD or PLC), drops
/// courtesy titles, then decides: the same words in any order, or initials and missing middle names that agree with
/// the account's names, are a match; a near spelling ("Jon Smyth") is a close match; anything else is no match.
/// Forenames and surnames are compared apart so that "Jane Smith" is not a close match for "John Smith".
/// </summary>
public static class NameMatcher
{
    /// <summary>A whole name this similar (FuzzySharp token-sort ratio, 0–100) is a close match.</summary>
    public const int CloseWhole = 85;

    /// <summary>Or: the surname and the forenames each at least this similar.</summary>
    public const int ClosePart = 75;

    private static readonly HashSet<string> Titles =
    [
        "MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "SIR", "DAME", "LADY", "LORD", "REV", "REVD", "MASTER",
    ];

    /// <summary>The name's words as compared: normalised, titles dropped, "AND" for "&amp;".</summary>
    public static string[] Words(string name)
        => [.. SanctionsList.Normalise(name.Replace("&", " AND ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !Titles.Contains(w))];

    public static NameMatch Compare(string given, string onAccount)
    {
        var g = Words(given);
        var a = Words(onAccount);
        if (g.Length == 0 || a.Length == 0)
        {
            return NameMatch.None;
        }

        if (g.Order(StringComparer.Ordinal).SequenceEqual(a.Order(StringComparer.Ordinal)))
        {
            return NameMatch.Full;
        }

        if (g.Length > 1 && a.Length > 1 && g[^1] == a[^1] && ForenamesAgree(g[..^1], a[..^1]))
        {
            return NameMatch.Full;
        }

        var whole = Fuzz.TokenSortRatio(string.Join(' ', g), string.Join(' ', a), PreprocessMode.None);
        // Or the same words but the last slightly off ("Acme Plumbers" for "Acme Plumbing Ltd").
        if (whole >= CloseWhole || (whole >= ClosePart && g.Length > 1 && g[..^1].SequenceEqual(a[..^1])))
        {
            return NameMatch.Close;
        }

        // A typo in the surname with the forenames (or their initials) right: "J Smyth" for "John Smith".
        if (g.Length > 1 && a.Length > 1 && Fuzz.Ratio(g[^1], a[^1]) >= ClosePart)
        {
            var forenames = Fuzz.Ratio(string.Join(' ', g[..^1]), string.Join(' ', a[..^1]));
            if (forenames >= ClosePart || ForenamesAgree(g[..^1], a[..^1]))
            {
                return NameMatch.Close;
            }
        }

        return NameMatch.None;
    }

    /// <summary>
    /// Each given forename is, in order, one of the account's forenames or its initial; the account's middle names
    /// may be left out, and initials written together ("JA") count one each. The first forename must be there.
    /// </summary>
    private static bool ForenamesAgree(string[] given, string[] onAccount)
    {
        var expanded = given.SelectMany(w => w.Length is > 1 and <= 3 && !onAccount.Contains(w) && w.All(char.IsLetter) && IsInitials(w, onAccount)
            ? w.Select(c => c.ToString())
            : [w]).ToArray();
        var j = 0;
        for (var i = 0; i < expanded.Length; i++)
        {
            while (j < onAccount.Length && !Agrees(expanded[i], onAccount[j]))
            {
                // Only the account's middle names may be skipped, never its first forename.
                if (i == 0)
                {
                    return false;
                }

                j++;
            }

            if (j == onAccount.Length)
            {
                return false;
            }

            j++;
        }

        return true;
    }

    private static bool IsInitials(string word, string[] onAccount)
        => word.Length <= onAccount.Length && word.Select((c, i) => onAccount[i][0] == c).All(x => x);

    private static bool Agrees(string given, string onAccount)
        => given == onAccount || (given.Length == 1 && onAccount[0] == given[0]);
}
