namespace OpenBanking.Portal.Reference;

/// <summary>Starting values for the try-it console: realistic request bodies a developer edits rather than writes.</summary>
public static class ConsoleDefaults
{
    public const string RedirectUri = "http://localhost:5005/callback";
    public const string Username = "alice";
    public const string Password = "sandbox";
    public const string Otp = "123456";

    public const string AccountAccessConsent = """
        {
          "Data": {
            "Permissions": [
              "ReadAccountsDetail",
              "ReadBalances",
              "ReadTransactionsDetail",
              "ReadTransactionsCredits",
              "ReadTransactionsDebits"
            ]
          },
          "Risk": {}
        }
        """;

    public const string DomesticPaymentConsent = """
        {
          "Data": {
            "Initiation": {
              "InstructionIdentification": "ACME412",
              "EndToEndIdentification": "FRESCO.21302.GFX.20",
              "InstructedAmount": {
                "Amount": "10.50",
                "Currency": "GBP"
              },
              "CreditorAccount": {
                "SchemeName": "UK.OBIE.SortCodeAccountNumber",
                "Identification": "08080021325698",
                "Name": "ACME Inc"
              },
              "RemittanceInformation": {
                "Reference": "FRESCO-101",
                "Unstructured": "Internal ops code 5120101"
              }
            }
          },
          "Risk": {
            "PaymentContextCode": "EcommerceGoods"
          }
        }
        """;

    /// <summary>
    /// The v4.0 twin of <see cref="DomesticPaymentConsent"/>: remittance as arrays (ISO 20022 structured and
    /// unstructured), the ultimate creditor, a category purpose and a v4.0 payment context code (EcommerceGoods is gone).
    /// </summary>
    public const string DomesticPaymentConsentV4 = """
        {
          "Data": {
            "Initiation": {
              "InstructionIdentification": "ACME412",
              "EndToEndIdentification": "FRESCO.21302.GFX.20",
              "InstructedAmount": {
                "Amount": "10.50",
                "Currency": "GBP"
              },
              "CreditorAccount": {
                "SchemeName": "UK.OBIE.SortCodeAccountNumber",
                "Identification": "08080021325698",
                "Name": "ACME Inc"
              },
              "UltimateCreditor": {
                "Name": "ACME Marketplace Seller Ltd"
              },
              "RemittanceInformation": {
                "Structured": [
                  {
                    "CreditorReferenceInformation": {
                      "Reference": "FRESCO-101"
                    }
                  }
                ],
                "Unstructured": [
                  "Internal ops code 5120101"
                ]
              }
            }
          },
          "Risk": {
            "PaymentContextCode": "TransferToThirdParty",
            "CategoryPurposeCode": "SUPP"
          }
        }
        """;

    public const string FundsConfirmationConsent = """
        {
          "Data": {
            "DebtorAccount": {
              "SchemeName": "UK.OBIE.SortCodeAccountNumber",
              "Identification": "11280001234567",
              "Name": "Alice Smith"
            }
          }
        }
        """;

    /// <summary>
    /// A sweeping VRP consent: up to £100.00 a payment and £500.00 a calendar month, to an account of the customer's own
    /// (sweeping moves money between one customer's accounts: put the account the customer will pay into here).
    /// </summary>
    public const string VrpConsent = """
        {
          "Data": {
            "ControlParameters": {
              "VRPType": [
                "UK.OBIE.VRPType.Sweeping"
              ],
              "PSUAuthenticationMethods": [
                "UK.OBIE.SCANotRequired"
              ],
              "MaximumIndividualAmount": {
                "Amount": "100.00",
                "Currency": "GBP"
              },
              "PeriodicLimits": [
                {
                  "PeriodType": "Month",
                  "PeriodAlignment": "Calendar",
                  "Amount": "500.00",
                  "Currency": "GBP"
                }
              ]
            },
            "Initiation": {
              "CreditorAccount": {
                "SchemeName": "UK.OBIE.SortCodeAccountNumber",
                "Identification": "11280001234568",
                "Name": "Alice Walker"
              }
            }
          },
          "Risk": {}
        }
        """;

    /// <summary>The consent body for the API's consent endpoint (v3.1.11).</summary>
    public static string ConsentBody(ApiInfo api) => ConsentBody(api, ObieVersion.Default);

    /// <summary>The consent body for the API's consent endpoint in a version (only the payment consent differs).</summary>
    public static string ConsentBody(ApiInfo api, ObieVersion version) => api.Key switch
    {
        "pis" => version == ObieVersion.V4 ? DomesticPaymentConsentV4 : DomesticPaymentConsent,
        "vrp" => VrpConsent,
        "cbpii" => FundsConfirmationConsent,
        _ => AccountAccessConsent,
    };

    /// <summary>The operation (by id) whose request body is <see cref="ConsentBody"/>.</summary>
    public static string ConsentOperationId(ApiInfo api) => api.Key switch
    {
        "pis" => "CreateDomesticPaymentConsents",
        "vrp" => "domesticVrpConsentsPost",
        "cbpii" => "CreateFundsConfirmationConsents",
        _ => "CreateAccountAccessConsents",
    };

    /// <summary>The operation the guided flow suggests calling with the customer's token.</summary>
    public static string FirstCallOperationId(ApiInfo api) => api.Key switch
    {
        "pis" => "CreateDomesticPayments",
        "vrp" => "domesticVrpPost",
        "cbpii" => "CreateFundsConfirmations",
        _ => "GetAccounts",
    };

    /// <summary>A body to start from: the consent body for consent creation, else the schema's required fields.</summary>
    public static string? RequestBody(ApiInfo api, ApiOperation operation) => RequestBody(api, ObieVersion.Default, operation);

    /// <inheritdoc cref="RequestBody(ApiInfo, ApiOperation)"/>
    public static string? RequestBody(ApiInfo api, ObieVersion version, ApiOperation operation)
    {
        if (operation.RequestBody is null)
        {
            return null;
        }

        return operation.OperationId == ConsentOperationId(api)
            ? ConsentBody(api, version)
            : ExampleGenerator.ToJson(ExampleGenerator.Generate(operation.RequestBody.Schema, requiredOnly: true));
    }
}
