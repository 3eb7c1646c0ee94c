using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
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
                    ReadRefundAccount = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: true),
                    RequestedExecutionDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    CreditorName = table.Column<string>(type: "nvarchar(350)", maxLength: 350, nullable: false),
                    CreditorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CreditorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Reference = table.Column<string>(type: "nvarchar(35)", maxLength: 35, nullable: true),
                    DebtorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DebtorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    CustomerId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DebtorAccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
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
                    Id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ConsentId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    CustomerId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    DebtorAccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    ApiVersion = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    CreationDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RequestedExecutionDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExecutionId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
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
