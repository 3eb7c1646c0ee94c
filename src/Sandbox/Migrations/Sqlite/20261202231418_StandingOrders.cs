using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StandingOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DomesticStandingOrderConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ApiVersion = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    InitiationJson = table.Column<string>(type: "TEXT", nullable: false),
                    RiskJson = table.Column<string>(type: "TEXT", nullable: false),
                    AuthorisationJson = table.Column<string>(type: "TEXT", nullable: true),
                    ScaSupportDataJson = table.Column<string>(type: "TEXT", nullable: true),
                    ReadRefundAccount = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    Frequency = table.Column<string>(type: "TEXT", maxLength: 35, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    FirstPaymentDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RecurringPaymentDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    FinalPaymentDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    NumberOfPayments = table.Column<int>(type: "INTEGER", nullable: true),
                    FirstAmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    RecurringAmountMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    FinalAmountMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CreditorName = table.Column<string>(type: "TEXT", maxLength: 350, nullable: false),
                    CreditorSchemeName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreditorIdentification = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    DebtorSchemeName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DebtorIdentification = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DebtorAccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticStandingOrderConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticStandingOrderConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DomesticStandingOrders",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DebtorAccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreditorAccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ApiVersion = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreationDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PaymentsMade = table.Column<int>(type: "INTEGER", nullable: false),
                    NextDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextAmountMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPaymentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastAmountMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticStandingOrders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticStandingOrders_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticStandingOrderConsents_TenantId_CustomerId",
                table: "DomesticStandingOrderConsents",
                columns: new[] { "TenantId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticStandingOrders_ConsentId",
                table: "DomesticStandingOrders",
                column: "ConsentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DomesticStandingOrders_DebtorAccountId",
                table: "DomesticStandingOrders",
                column: "DebtorAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_DomesticStandingOrders_TenantId_NextDueAt",
                table: "DomesticStandingOrders",
                columns: new[] { "TenantId", "NextDueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DomesticStandingOrderConsents");

            migrationBuilder.DropTable(
                name: "DomesticStandingOrders");
        }
    }
}
