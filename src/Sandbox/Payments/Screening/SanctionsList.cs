using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FuzzySharp;
using FuzzySharp.PreProcess;

namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>One entity of the sanctions sample (<c>sanctions-sample.json</c>).</summary>
public sealed record SanctionedEntity(string Name, IReadOnlyList<string> Aliases, string Country, string Source);

/// <summary>The closest listed name to a payee's name: its score (0–100) and the listed name it matched.</summary>
public sealed record SanctionsMatch(int Score, string ListedName);

/// <summary>
/// Fuzzy matching of payee names against the seeded sanctions sample. Names are normalised (upper case, no accents or
/// punctuation, no legal suffixes or "THE"), then scored with <see cref="Fuzz.TokenSortRatio(string, string, PreprocessMode)"/>,
/// which tolerates word order and typos but not a name that is merely a word of a listed one: TokenSet or Partial
/// ratios would score "BANK" against "BANK MELLI IRAN" 100. Best matches are cached per normalised name, so a payee
/// screened again costs a dictionary look-up.
/// </summary>
public sealed class SanctionsList
{
    private const int CacheLimit = 20_000;

    private static readonly HashSet<string> Noise =
    [
        "THE", "LTD", "LIMITED", "LLC", "LLP", "PLC", "INC", "CORP", "CO", "JSC", "PJSC", "OJSC", "CJSC", "GMBH", "SA", "AG",
        "BV", "NV", "SPA", "SARL",
    ];

    private readonly (string Normalised, string Listed)[] _names;
    private readonly ConcurrentDictionary<string, SanctionsMatch?> _cache = new(StringComparer.Ordinal);

    public SanctionsList(IEnumerable<SanctionedEntity> entities)
    {
        Entities = [.. entities];
        _names =
        [
            .. Entities.SelectMany(e => e.Aliases.Prepend(e.Name))
                .Select(name => (Normalise(name), name))
                .Where(n => n.Item1.Length > 0),
        ];
    }

    public IReadOnlyList<SanctionedEntity> Entities { get; }

    /// <summary>The sample shipped with the Sandbox (an embedded resource).</summary>
    public static SanctionsList Sample()
    {
        using var stream = typeof(SanctionsList).Assembly.GetManifestResourceStream("OpenBanking.Sandbox.Payments.Screening.sanctions-sample.json")
            ?? throw new InvalidOperationException("The sanctions sample is not embedded in the assembly.");
        var file = JsonSerializer.Deserialize<SampleFile>(stream) ?? throw new InvalidOperationException("The sanctions sample is empty.");
        return new SanctionsList(file.Entries);
    }

    /// <summary>The best-scoring listed name or alias for <paramref name="name"/>, or null when the name is empty once normalised.</summary>
    public SanctionsMatch? BestMatch(string name)
    {
        var normalised = Normalise(name);
        if (normalised.Length == 0)
        {
            return null;
        }

        if (_cache.TryGetValue(normalised, out var cached))
        {
            return cached;
        }

        SanctionsMatch? best = null;
        foreach (var (listed, original) in _names)
        {
            var score = Fuzz.TokenSortRatio(normalised, listed, PreprocessMode.None);
            if (best is null || score > best.Score)
            {
                best = new SanctionsMatch(score, original);
            }
        }

        // A bounded cache: payee names are open-ended, so start again rather than grow without limit.
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[normalised] = best;
        return best;
    }

    /// <summary>Upper case, accents folded, punctuation to spaces, legal suffixes and "THE" dropped, single spaces.</summary>
    public static string Normalise(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            // Apostrophes and dots join ("People's" → "PEOPLES", "S.A." → "SA"); other punctuation separates words.
            if (c is '\'' or '’' or '.')
            {
                continue;
            }

            folded.Append(char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : ' ');
        }

        return string.Join(' ', folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Noise.Contains(w)));
    }

    private sealed record SampleFile(string Notice, IReadOnlyList<SanctionedEntity> Entries);
}
