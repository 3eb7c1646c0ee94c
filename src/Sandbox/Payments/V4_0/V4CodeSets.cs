namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// The code sets the v4.0 request schemas enumerate, copied from specs/obie-v4.0/payment-initiation-openapi.yaml (the
/// schema of each is named); a value outside them breaks the schema, so it is refused with the field's path.
/// </summary>
public static class V4CodeSets
{
    /// <summary>ExternalPurpose1Code (328 codes).</summary>
    public static readonly HashSet<string> Purpose = new(StringComparer.Ordinal)
    {
        "BKDF", "BKFE", "BKFM", "BKIP", "BKPP", "CBLK", "CDCB", "CDCD", "CDCS", "CDDP", "CDOC", "CDQC", "ETUP", "FCOL",
        "MTUP", "ACCT", "CASH", "COLL", "CSDB", "DEPT", "INTC", "INTP", "LIMA", "NETT", "BFWD", "CCIR", "CCPC", "CCPM",
        "CCSM", "CRDS", "CRPR", "CRSP", "CRTL", "EQPT", "EQUS", "EXPT", "EXTD", "FIXI", "FWBC", "FWCC", "FWSB", "FWSC",
        "MARG", "MBSB", "MBSC", "MGCC", "MGSC", "OCCC", "OPBC", "OPCC", "OPSB", "OPSC", "OPTN", "OTCD", "REPO", "RPBC",
        "RPCC", "RPSB", "RPSC", "RVPO", "SBSC", "SCIE", "SCIR", "SCRP", "SHBC", "SHCC", "SHSL", "SLEB", "SLOA", "SWBC",
        "SWCC", "SWPT", "SWSB", "SWSC", "TBAS", "TBBC", "TBCC", "TRCP", "AGRT", "AREN", "BEXP", "BOCE", "COMC", "CPYR",
        "GDDS", "GDSV", "GSCB", "LICF", "MP2B", "POPE", "ROYA", "SCVE", "SERV", "SUBS", "SUPP", "TRAD", "CHAR", "COMT",
        "MP2P", "ECPG", "ECPR", "ECPU", "EPAY", "CLPR", "COMP", "DBTC", "GOVI", "HLRP", "HLST", "INPC", "INPR", "INSC",
        "INSU", "INTE", "LBRI", "LIFI", "LOAN", "LOAR", "PENO", "PPTI", "RELG", "RINP", "TRFD", "FORW", "FXNT", "ADMG",
        "ADVA", "BCDM", "BCFG", "BLDM", "BNET", "CBFF", "CBFR", "CCRD", "CDBL", "CFEE", "CGDD", "CORT", "COST", "CPKC",
        "DCRD", "DSMT", "DVPM", "EDUC", "FACT", "FAND", "FCPM", "FEES", "GIFT", "GOVT", "ICCP", "IDCP", "IHRP", "INSM",
        "IVPT", "MCDM", "MCFG", "MSVC", "NOWS", "OCDM", "OCFG", "OFEE", "OTHR", "PADD", "PTSP", "RCKE", "RCPT", "REBT",
        "REFU", "RENT", "REOD", "RIMB", "RPNT", "RRBN", "RRCT", "RRTP", "RVPM", "SLPI", "SPLT", "STDY", "TBAN", "TBIL",
        "TCSC", "TELI", "TMPG", "TPRI", "TPRP", "TRNC", "TRVC", "WEBI", "IPAY", "IPCA", "IPDO", "IPEA", "IPEC", "IPEW",
        "IPPS", "IPRT", "IPU2", "IPUW", "ANNI", "CAFI", "CFDI", "CMDT", "DERI", "DIVD", "FREX", "HEDG", "INVS", "PRME",
        "SAVG", "SECU", "SEPI", "TREA", "UNIT", "FNET", "FUTR", "ANTS", "CVCF", "DMEQ", "DNTS", "HLTC", "HLTI", "HSPC",
        "ICRF", "LTCF", "MAFC", "MARF", "MDCS", "VIEW", "CDEP", "SWFP", "SWPP", "SWRS", "SWUF", "ADCS", "AEMP", "ALLW",
        "ALMY", "BBSC", "BECH", "BENE", "BONU", "CCHD", "COMM", "CSLP", "GFRP", "GVEA", "GVEB", "GVEC", "GVED", "GWLT",
        "HREC", "PAYR", "PEFC", "PENS", "PRCP", "RHBS", "SALA", "SPSP", "SSBE", "LBIN", "LCOL", "LFEE", "LMEQ", "LMFI",
        "LMRK", "LREB", "LREV", "LSFL", "ESTX", "FWLV", "GSTX", "HSTX", "INTX", "NITX", "PTXP", "RDTX", "TAXS", "VATX",
        "WHLD", "TAXR", "B112", "BR12", "TLRF", "TLRR", "AIRB", "BUSB", "FERB", "RLWY", "TRPT", "CBTV", "ELEC", "ENRG",
        "GASB", "NWCH", "NWCM", "OTLC", "PHON", "UBIL", "WTER", "BOND", "CABD", "CAEQ", "CBCR", "DBCR", "DICL", "EQTS",
        "FLCR", "EFTC", "EFTD", "MOMA", "RAPI", "GAMB", "LOTT", "AMEX", "SASW", "AUCO", "PCOM", "PDEP", "PLDS", "PLRF",
        "GAFA", "GAHO", "CPEN", "DEPD", "RETL", "DEBT",
    };

    /// <summary>ExternalCategoryPurpose1Code (44 codes).</summary>
    public static readonly HashSet<string> CategoryPurpose = new(StringComparer.Ordinal)
    {
        "BONU", "CASH", "CBLK", "CCRD", "CGWV", "CIPC", "CONC", "CORT", "DCRD", "DIVI", "DVPM", "EPAY", "FCDT", "FCIN",
        "FCOL", "GOVT", "GP2P", "HEDG", "ICCP", "IDCP", "INTC", "INTE", "LBOX", "LOAN", "MP2B", "MP2P", "OTHR", "PENS",
        "RPRE", "RRCT", "RVPM", "SALA", "SECU", "SSBE", "SUPP", "SWEP", "TAXS", "TOPG", "TRAD", "TREA", "VATX", "VOST",
        "WHLD", "ZABA",
    };

    /// <summary>ExternalProxyAccountType1Code (21 codes).</summary>
    public static readonly HashSet<string> ProxyAccountType = new(StringComparer.Ordinal)
    {
        "TELE", "EMAL", "DNAM", "CINC", "COTX", "COID", "CUST", "DRLC", "EIDN", "EWAL", "PVTX", "LEIC", "MBNO", "NIDN",
        "CCPT", "SHID", "SOSE", "TOKN", "UBIL", "VIPN", "BIID",
    };

    /// <summary>OBAddressType2Code (8 codes).</summary>
    public static readonly HashSet<string> AddressType = new(StringComparer.Ordinal)
    {
        "BIZZ", "DLVY", "MLTO", "PBOX", "ADDR", "HOME", "CORR", "STAT",
    };

    /// <summary>ExternalDocumentType1Code (16 codes).</summary>
    public static readonly HashSet<string> DocumentType = new(StringComparer.Ordinal)
    {
        "CINV", "CNFA", "CONT", "CREN", "DEBN", "DISP", "DNFA", "HIRI", "INVS", "MSIN", "PROF", "PUOR", "QUOT", "SBIN",
        "SPRR", "TISH",
    };

    /// <summary>ExternalCreditorReferenceType1Code (6 codes).</summary>
    public static readonly HashSet<string> CreditorReferenceType = new(StringComparer.Ordinal)
    {
        "DISP", "FXDR", "PUOR", "RPIN", "RADM", "SCOR",
    };

    /// <summary>OBInternalExtendedAccountType1Code (15 codes).</summary>
    public static readonly HashSet<string> ExtendedAccountType = new(StringComparer.Ordinal)
    {
        "Business", "BusinessSavingsAccount", "Charity", "Collection", "Corporate", "Ewallet", "Government",
        "Investment", "ISA", "JointPersonal", "Pension", "Personal", "PersonalSavingsAccount", "Premier", "Wealth",
    };
}
