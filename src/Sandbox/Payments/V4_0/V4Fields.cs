using System.Text.Json;
using System.Text.RegularExpressions;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments.V4_0;

/// <summary>
/// The v4.0 building blocks of request bodies (OBPostalAddress7, OBProxy1, ultimate parties, structured remittance,
/// regulatory reporting, OBRisk1), checked exactly as the schemas of specs/obie-v4.0 have them: lengths, patterns and
/// enums, and unknown properties refused only where the schema says <c>additionalProperties: false</c>. Every problem
/// is collected in the <see cref="ObieValidator"/>, so a partner sees them all at once.
/// </summary>
public static partial class V4Fields
{
    private static readonly string[] PostalAddressFields =
    [
        "AddressType", "Department", "SubDepartment", "StreetName", "BuildingNumber", "BuildingName", "Floor", "UnitNumber", "Room",
        "PostBox", "TownLocationName", "DistrictName", "CareOf", "PostCode", "TownName", "CountrySubDivision", "Country", "AddressLine",
    ];

    private static readonly string[] RiskFields =
    [
        "PaymentContextCode", "MerchantCategoryCode", "MerchantCustomerIdentification", "ContractPresentIndicator",
        "BeneficiaryPrepopulatedIndicator", "PaymentPurposeCode", "CategoryPurposeCode", "BeneficiaryAccountType", "DeliveryAddress",
    ];

    /// <summary>OBRisk1's PaymentContextCode in v4.0: PartyToParty, BillPayment, EcommerceGoods, EcommerceServices, Other and PispPayee are gone.</summary>
    public static readonly string[] PaymentContextCodes =
    [
        "BillingGoodsAndServicesInAdvance", "BillingGoodsAndServicesInArrears", "EcommerceMerchantInitiatedPayment",
        "FaceToFacePointOfSale", "TransferToSelf", "TransferToThirdParty",
    ];

    /// <summary>OBRisk1 (additionalProperties: false); null when absent or not an object.</summary>
    public static JsonElement? Risk(this ObieValidator v, JsonElement root)
    {
        if (v.Object(root, "Risk", "Risk", required: true, RiskFields) is not { } risk)
        {
            return null;
        }

        v.Enum(risk, "PaymentContextCode", "Risk.PaymentContextCode", required: false, PaymentContextCodes);
        v.String(risk, "MerchantCategoryCode", "Risk.MerchantCategoryCode", required: false, 4, 3);
        v.String(risk, "MerchantCustomerIdentification", "Risk.MerchantCustomerIdentification", required: false, 70);
        v.Boolean(risk, "ContractPresentIndicator", "Risk.ContractPresentIndicator");
        v.Boolean(risk, "BeneficiaryPrepopulatedIndicator", "Risk.BeneficiaryPrepopulatedIndicator");
        v.Code(risk, "PaymentPurposeCode", "Risk.PaymentPurposeCode", V4CodeSets.Purpose, "ExternalPurpose1Code");
        v.Code(risk, "CategoryPurposeCode", "Risk.CategoryPurposeCode", V4CodeSets.CategoryPurpose, "ExternalCategoryPurpose1Code");
        v.Enum(risk, "BeneficiaryAccountType", "Risk.BeneficiaryAccountType", required: false, [.. V4CodeSets.ExtendedAccountType]);
        v.PostalAddress(risk, "DeliveryAddress", "Risk.DeliveryAddress");
        return risk;
    }

    public static bool? Boolean(this ObieValidator v, JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        v.Add(ObieErrorCodes.FieldInvalid, $"{name} must be true or false.", path);
        return null;
    }

    /// <summary>A four-character code of a large ISO set: named rather than listed in the message.</summary>
    public static string? Code(this ObieValidator v, JsonElement parent, string name, string path, HashSet<string> codes, string codeSet)
    {
        var text = v.String(parent, name, path, required: false, 4);
        if (text is not null && !codes.Contains(text))
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"{name} must be a code of {codeSet} as the v4.0 specification lists it.", path);
            return null;
        }

        return text;
    }

    /// <summary>A CountryCode: ISO 3166 alpha-2 (<c>^[A-Z]{2,2}$</c>).</summary>
    public static string? Country(this ObieValidator v, JsonElement parent, string name, string path)
    {
        var country = v.String(parent, name, path, required: false, 2, 2);
        if (country is not null && !country.All(char.IsAsciiLetterUpper))
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"{name} is an ISO 3166 code of two capital letters, e.g. GB.", path);
            return null;
        }

        return country;
    }

    /// <summary>An ISO 17442 legal entity identifier (the schema's LEI pattern).</summary>
    public static void Lei(this ObieValidator v, JsonElement parent, string path)
    {
        if (v.String(parent, "LEI", path, required: false, 20) is { } lei && !LeiPattern().IsMatch(lei))
        {
            v.Add(ObieErrorCodes.FieldInvalid, "LEI is 20 characters: 4 digits, 00, 12 letters or digits, 2 digits.", path);
        }
    }

    /// <summary>The property as an array (at most <paramref name="maxItems"/>), or empty (with an error when it is not one).</summary>
    public static IReadOnlyList<JsonElement> Array(this ObieValidator v, JsonElement parent, string name, string path, int maxItems = int.MaxValue)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"{name} must be an array.", path);
            return [];
        }

        if (value.GetArrayLength() > maxItems)
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"{name} has at most {maxItems} items.", path);
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>An array of strings of <paramref name="minLength"/> to <paramref name="maxLength"/> characters; the valid ones.</summary>
    public static IReadOnlyList<string> Strings(this ObieValidator v, JsonElement parent, string name, string path, int maxLength, int maxItems = int.MaxValue, int minLength = 1)
    {
        var texts = new List<string>();
        var index = 0;
        foreach (var item in v.Array(parent, name, path, maxItems))
        {
            var itemPath = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"Each item of {name} must be a string.", itemPath);
            }
            else if (item.GetString()!.Length < minLength || item.GetString()!.Length > maxLength)
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"Each item of {name} must be {minLength} to {maxLength} characters long.", itemPath);
            }
            else
            {
                texts.Add(item.GetString()!);
            }
        }

        return texts;
    }

    /// <summary>An array of objects; each valid one handed to <paramref name="item"/> with its path.</summary>
    public static void Objects(this ObieValidator v, JsonElement parent, string name, string path, Action<JsonElement, string> item, int maxItems = int.MaxValue)
    {
        var index = 0;
        foreach (var element in v.Array(parent, name, path, maxItems))
        {
            var itemPath = $"{path}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                v.Add(ObieErrorCodes.FieldInvalid, $"Each item of {name} must be an object.", itemPath);
                continue;
            }

            item(element, itemPath);
        }
    }

    /// <summary>OBPostalAddress7 (additionalProperties: false).</summary>
    public static void PostalAddress(this ObieValidator v, JsonElement parent, string name, string path)
    {
        if (v.Object(parent, name, path, required: false, PostalAddressFields) is not { } address)
        {
            return;
        }

        v.Enum(address, "AddressType", path + ".AddressType", required: false, [.. V4CodeSets.AddressType]);
        foreach (var (field, max) in new[]
                 {
                     ("Department", 70), ("SubDepartment", 70), ("StreetName", 140), ("BuildingNumber", 16), ("BuildingName", 140),
                     ("Floor", 70), ("UnitNumber", 16), ("Room", 70), ("PostBox", 16), ("TownLocationName", 140), ("DistrictName", 140),
                     ("CareOf", 140), ("PostCode", 16), ("TownName", 140), ("CountrySubDivision", 35),
                 })
        {
            v.String(address, field, $"{path}.{field}", required: false, max);
        }

        v.Country(address, "Country", path + ".Country");
        v.Strings(address, "AddressLine", path + ".AddressLine", maxLength: 70, maxItems: 7);
    }

    /// <summary>OBProxy1: Identification and an ExternalProxyAccountType1Code.</summary>
    public static void Proxy(this ObieValidator v, JsonElement account, string path)
    {
        if (v.Object(account, "Proxy", path, required: false) is not { } proxy)
        {
            return;
        }

        v.String(proxy, "Identification", path + ".Identification", required: true, 2048);
        if (v.String(proxy, "Code", path + ".Code", required: true, 4) is { } code && !V4CodeSets.ProxyAccountType.Contains(code))
        {
            v.Add(ObieErrorCodes.FieldInvalid, "Code must be an ExternalProxyAccountType1Code, e.g. TELE or EMAL.", path + ".Code");
        }

        v.String(proxy, "Type", path + ".Type", required: false, 35);
    }

    /// <summary>OBUltimateCreditor1 / OBUltimateDebtor1: who the money is ultimately for or from (for the payee's information).</summary>
    public static void Party(this ObieValidator v, JsonElement parent, string name, string path)
    {
        if (v.Object(parent, name, path, required: false) is not { } party)
        {
            return;
        }

        v.String(party, "Name", path + ".Name", required: false, 140);
        v.String(party, "Identification", path + ".Identification", required: false, 256);
        v.Lei(party, path + ".LEI");
        v.String(party, "SchemeName", path + ".SchemeName", required: false, int.MaxValue);
        v.PostalAddress(party, "PostalAddress", path + ".PostalAddress");
    }

    /// <summary>The CreditorAgent of a domestic Initiation (additionalProperties: false).</summary>
    public static void Agent(this ObieValidator v, JsonElement parent, string name, string path)
    {
        if (v.Object(parent, name, path, required: false, "SchemeName", "Identification", "Name", "LEI", "PostalAddress") is not { } agent)
        {
            return;
        }

        v.String(agent, "SchemeName", path + ".SchemeName", required: false, int.MaxValue);
        v.String(agent, "Identification", path + ".Identification", required: false, 35);
        v.String(agent, "Name", path + ".Name", required: false, 140);
        v.Lei(agent, path + ".LEI");
        v.PostalAddress(agent, "PostalAddress", path + ".PostalAddress");
    }

    /// <summary>
    /// OBRemittanceInformation2: Unstructured lines and Structured items. Returns the reference the bank puts on the
    /// payer's statement (docs/payments.md): the first structured creditor reference, else the first unstructured line.
    /// </summary>
    public static string? Remittance(this ObieValidator v, JsonElement parent, string path)
    {
        if (v.Object(parent, "RemittanceInformation", path, required: false) is not { } remittance)
        {
            return null;
        }

        // The schema leaves this object open, but v3.1.11's Reference moved: accepting it would drop the payer's reference unseen.
        if (remittance.TryGetProperty("Reference", out _))
        {
            v.Add(ObieErrorCodes.FieldUnexpected,
                "v4.0 has no RemittanceInformation.Reference; put it in Structured[].CreditorReferenceInformation.Reference.", path + ".Reference");
        }

        string? creditorReference = null;
        v.Objects(remittance, "Structured", path + ".Structured", (item, itemPath) =>
        {
            v.Objects(item, "ReferredDocumentInformation", itemPath + ".ReferredDocumentInformation", (document, documentPath) =>
            {
                v.Enum(document, "Code", documentPath + ".Code", required: false, [.. V4CodeSets.DocumentType]);
                v.String(document, "Issuer", documentPath + ".Issuer", required: false, 140);
                v.String(document, "Number", documentPath + ".Number", required: false, 140);
                v.DateTime(document, "RelatedDate", documentPath + ".RelatedDate");
                v.Strings(document, "LineDetails", documentPath + ".LineDetails", maxLength: int.MaxValue, minLength: 0);
            });
            if (item.TryGetProperty("ReferredDocumentAmount", out var amount) && !(amount.ValueKind == JsonValueKind.Number && amount.TryGetInt32(out _)))
            {
                v.Add(ObieErrorCodes.FieldInvalid, "ReferredDocumentAmount must be a whole number (int32).", itemPath + ".ReferredDocumentAmount");
            }

            if (v.Object(item, "CreditorReferenceInformation", itemPath + ".CreditorReferenceInformation", required: false) is { } reference)
            {
                var referencePath = itemPath + ".CreditorReferenceInformation";
                v.Enum(reference, "Code", referencePath + ".Code", required: false, [.. V4CodeSets.CreditorReferenceType]);
                v.String(reference, "Issuer", referencePath + ".Issuer", required: false, 35);
                creditorReference ??= v.String(reference, "Reference", referencePath + ".Reference", required: false, 35);
            }

            v.String(item, "Invoicer", itemPath + ".Invoicer", required: false, 256);
            v.String(item, "Invoicee", itemPath + ".Invoicee", required: false, 256);
            v.String(item, "TaxRemittance", itemPath + ".TaxRemittance", required: false, 140);
            v.Strings(item, "AdditionalRemittanceInformation", itemPath + ".AdditionalRemittanceInformation", maxLength: 140, maxItems: 3);
        });
        var unstructured = v.Strings(remittance, "Unstructured", path + ".Unstructured", maxLength: 256);
        return creditorReference ?? (unstructured.Count > 0 ? ColumnText.Truncate(unstructured[0], 35) : null);
    }

    /// <summary>RegulatoryReporting: at most 10 OBRegulatoryReporting1.</summary>
    public static void RegulatoryReporting(this ObieValidator v, JsonElement parent, string path)
        => v.Objects(parent, "RegulatoryReporting", path, (report, reportPath) =>
        {
            v.Enum(report, "DebitCreditReportingIndicator", reportPath + ".DebitCreditReportingIndicator", required: false, "CRED", "DEBT", "BOTH");
            if (v.Object(report, "Authority", reportPath + ".Authority", required: false) is { } authority)
            {
                v.String(authority, "Name", reportPath + ".Authority.Name", required: false, 140);
                v.Country(authority, "CountryCode", reportPath + ".Authority.CountryCode");
            }

            v.Objects(report, "Details", reportPath + ".Details", (detail, detailPath) =>
            {
                v.String(detail, "Type", detailPath + ".Type", required: false, 35);
                v.DateTime(detail, "Date", detailPath + ".Date");
                v.Country(detail, "Country", detailPath + ".Country");
                if (detail.TryGetProperty("Amount", out _))
                {
                    v.AnyAmount(detail, "Amount", detailPath + ".Amount");
                }

                v.Strings(detail, "Information", detailPath + ".Information", maxLength: 35);
            });
        }, maxItems: 10);

    /// <summary>OBActiveOrHistoricCurrencyAndAmount: any ISO 4217 code (it reports an amount, it does not move one).</summary>
    public static void AnyAmount(this ObieValidator v, JsonElement parent, string name, string path)
    {
        if (v.Object(parent, name, path, required: true, "Amount", "Currency") is not { } amount)
        {
            return;
        }

        if (v.String(amount, "Amount", path + ".Amount", required: true, 19) is { } text && !AmountPattern().IsMatch(text))
        {
            v.Add(ObieErrorCodes.FieldInvalid, "Amount must be a string of digits with up to 5 decimals, e.g. \"10.50\".", path + ".Amount");
        }

        if (v.String(amount, "Currency", path + ".Currency", required: true, 3, 3) is { } currency && !currency.All(char.IsAsciiLetterUpper))
        {
            v.Add(ObieErrorCodes.FieldInvalid, "Currency must be an ISO 4217 code of three capital letters.", path + ".Currency");
        }
    }

    [GeneratedRegex("^[0-9]{4}0{2}[A-Z0-9]{12}[0-9]{2}$")]
    private static partial Regex LeiPattern();

    [GeneratedRegex(@"^\d{1,13}$|^\d{1,13}\.\d{1,5}$")]
    private static partial Regex AmountPattern();
}
