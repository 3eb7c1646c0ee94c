namespace OpenBanking.Sandbox.Payments.Screening;

/// <summary>
/// The country facts screening needs: ISO 3166-1 alpha-2 codes, the IBAN registry's lengths, and the embargoed and
/// high-risk samples (docs/screening.md). The risk lists are a dated, illustrative sample, not for compliance use.
/// </summary>
public static class Countries
{
    // ISO 3166-1 alpha-2 (officially assigned codes), plus XK (Kosovo), which SWIFT uses in BICs and IBANs.
    private static readonly HashSet<string> Iso3166 =
    [
        .. """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
        JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
        MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
        RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
        TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
    ];

    /// <summary>
    /// IBAN length per country, from the SWIFT IBAN Registry (the countries whose IBANs are in the registry; an IBAN of
    /// any other country is well formed at best and is refused as an unsupported identifier).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> IbanLengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22,
        ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27,
        ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IL"] = 23, ["IQ"] = 24, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20,
        ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27,
        ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15,
        ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33,
        ["SA"] = 24, ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25,
        ["SV"] = 28, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    };

    /// <summary>Comprehensively embargoed destinations: a payment there is refused outright.</summary>
    public static readonly IReadOnlySet<string> Embargoed = new HashSet<string> { "KP", "IR", "SY", "CU" };

    /// <summary>
    /// Higher-risk jurisdictions: FATF's "call for action" (KP, IR, MM) and a sample of its "increased monitoring"
    /// list as published in 2025 — illustrative and dated on purpose; a real bank subscribes to the current lists.
    /// </summary>
    public static readonly IReadOnlySet<string> HighRisk = new HashSet<string>
    {
        "KP", "IR", "MM",
        "DZ", "AO", "BG", "BF", "CM", "CD", "HT", "KE", "LA", "LB", "MC", "MZ", "NA", "NP", "NG", "SS", "SY", "VE",
        "VN", "YE",
    };

    /// <summary>The bank's own country: paying there is never a "new destination".</summary>
    public const string Home = "GB";

    public static bool IsKnown(string? code) => code is { Length: 2 } && Iso3166.Contains(code);
}
