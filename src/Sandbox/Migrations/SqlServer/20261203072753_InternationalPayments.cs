using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InternationalPayments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChargeCurrency",
                table: "Transactions",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ChargeMinor",
                table: "Transactions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FxContractId",
                table: "Transactions",
                type: "nvarchar(35)",
                maxLength: 35,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FxInstructedAmount",
                table: "Transactions",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FxInstructedCurrency",
                table: "Transactions",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FxQuotationDate",
                table: "Transactions",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "FxRate",
                table: "Transactions",
                type: "decimal(18,6)",
                precision: 18,
                scale: 6,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FxSourceCurrency",
                table: "Transactions",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FxTargetCurrency",
                table: "Transactions",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FxUnitCurrency",
                table: "Transactions",
                type: "nvarchar(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChargeTariffJson",
                table: "Tenants",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FxContracts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(35)", maxLength: 35, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    UnitCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    QuoteCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    Side = table.Column<string>(type: "nvarchar(4)", maxLength: 4, nullable: false),
                    Rate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: false),
                    MidRate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: false),
                    NotionalCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    NotionalMinor = table.Column<long>(type: "bigint", nullable: false),
                    RemainingMinor = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FxContracts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FxContracts_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InternationalPaymentConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ApiVersion = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    InitiationJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    RiskJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    AuthorisationJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ScaSupportDataJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ReadRefundAccount = table.Column<string>(type: "nvarchar(5)", maxLength: 5, nullable: true),
                    InstructedAmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    InstructedCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    CurrencyOfTransfer = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    DebtorCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: true),
                    ChargeBearer = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    LocalInstrument = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    InstructionPriority = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    DestinationCountryCode = table.Column<string>(type: "nvarchar(2)", maxLength: 2, nullable: true),
                    CreditorName = table.Column<string>(type: "nvarchar(350)", maxLength: 350, nullable: false),
                    CreditorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CreditorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreditorAgentSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    CreditorAgentIdentification = table.Column<string>(type: "nvarchar(35)", maxLength: 35, nullable: true),
                    Reference = table.Column<string>(type: "nvarchar(140)", maxLength: 140, nullable: true),
                    DebtorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DebtorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    CustomerId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DebtorAccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    RateType = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    AgreedRate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: true),
                    ContractId = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    QuotedRate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: true),
                    QuotedMidRate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: true),
                    QuotedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    QuoteExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ChargesJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InternationalPaymentConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InternationalPaymentConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InternationalTransfers",
                columns: table => new
                {
                    PaymentId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ConsentId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    DebitCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    PrincipalMinor = table.Column<long>(type: "bigint", nullable: false),
                    DebtorFeeMinor = table.Column<long>(type: "bigint", nullable: false),
                    TransferCurrency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    TransferMinor = table.Column<long>(type: "bigint", nullable: false),
                    DeductedFeeMinor = table.Column<long>(type: "bigint", nullable: false),
                    SentMinor = table.Column<long>(type: "bigint", nullable: false),
                    RateType = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    ExchangeRate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: true),
                    MidRate = table.Column<decimal>(type: "decimal(18,6)", precision: 18, scale: 6, nullable: true),
                    RateAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ContractId = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    ChargeBearer = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ChargesJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    DestinationCountryCode = table.Column<string>(type: "nvarchar(2)", maxLength: 2, nullable: true),
                    ScreeningJson = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InternationalTransfers", x => x.PaymentId);
                    table.ForeignKey(
                        name: "FK_InternationalTransfers_DomesticPayments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "DomesticPayments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FxContracts_TenantId_ClientId",
                table: "FxContracts",
                columns: new[] { "TenantId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_InternationalPaymentConsents_TenantId_ClientId",
                table: "InternationalPaymentConsents",
                columns: new[] { "TenantId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_InternationalPaymentConsents_TenantId_CustomerId",
                table: "InternationalPaymentConsents",
                columns: new[] { "TenantId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_InternationalTransfers_ConsentId",
                table: "InternationalTransfers",
                column: "ConsentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InternationalTransfers_TenantId",
                table: "InternationalTransfers",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FxContracts");

            migrationBuilder.DropTable(
                name: "InternationalPaymentConsents");

            migrationBuilder.DropTable(
                name: "InternationalTransfers");

            migrationBuilder.DropColumn(
                name: "ChargeCurrency",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "ChargeMinor",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxContractId",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxInstructedAmount",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxInstructedCurrency",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxQuotationDate",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxRate",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxSourceCurrency",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxTargetCurrency",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "FxUnitCurrency",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "ChargeTariffJson",
                table: "Tenants");
        }
    }
}
