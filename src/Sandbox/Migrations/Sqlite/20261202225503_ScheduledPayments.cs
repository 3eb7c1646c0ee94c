using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScheduledPayments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DomesticScheduledPaymentConsents",
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
                    RequestedExecutionDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CreditorName = table.Column<string>(type: "TEXT", maxLength: 350, nullable: false),
                    CreditorSchemeName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreditorIdentification = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 35, nullable: true),
                    DebtorSchemeName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DebtorIdentification = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DebtorAccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticScheduledPaymentConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticScheduledPaymentConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DomesticScheduledPayments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DebtorAccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ApiVersion = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CreationDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RequestedExecutionDateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExecutionId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticScheduledPayments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticScheduledPayments_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticScheduledPaymentConsents_TenantId_CustomerId_Status",
                table: "DomesticScheduledPaymentConsents",
                columns: new[] { "TenantId", "CustomerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticScheduledPayments_ConsentId",
                table: "DomesticScheduledPayments",
                column: "ConsentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DomesticScheduledPayments_TenantId_Status_RequestedExecutionDateTime",
                table: "DomesticScheduledPayments",
                columns: new[] { "TenantId", "Status", "RequestedExecutionDateTime" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DomesticScheduledPaymentConsents");

            migrationBuilder.DropTable(
                name: "DomesticScheduledPayments");
        }
    }
}
