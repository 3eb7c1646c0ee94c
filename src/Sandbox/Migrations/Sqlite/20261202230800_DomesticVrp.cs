using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DomesticVrp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DomesticVrpConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ApiVersion = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ControlParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                    InitiationJson = table.Column<string>(type: "TEXT", nullable: false),
                    RiskJson = table.Column<string>(type: "TEXT", nullable: false),
                    ReadRefundAccount = table.Column<string>(type: "TEXT", maxLength: 5, nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    MaximumIndividualAmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidFromDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    ValidToDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    CreditorSchemeName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CreditorIdentification = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CreditorName = table.Column<string>(type: "TEXT", maxLength: 350, nullable: true),
                    DebtorSchemeName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DebtorIdentification = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DebtorAccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DeletedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticVrpConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticVrpConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DomesticVrpInstructions",
                columns: table => new
                {
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    InstructionJson = table.Column<string>(type: "TEXT", nullable: false),
                    PsuAuthenticationMethod = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PsuInteractionType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    VrpType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 140, nullable: true),
                    LocalInstrument = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticVrpInstructions", x => x.PaymentId);
                    table.ForeignKey(
                        name: "FK_DomesticVrpInstructions_DomesticPayments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "DomesticPayments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_ConsentId_CreationDateTime",
                table: "DomesticPayments",
                columns: new[] { "ConsentId", "CreationDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticVrpConsents_TenantId_ClientId",
                table: "DomesticVrpConsents",
                columns: new[] { "TenantId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticVrpConsents_TenantId_CustomerId",
                table: "DomesticVrpConsents",
                columns: new[] { "TenantId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticVrpInstructions_TenantId",
                table: "DomesticVrpInstructions",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DomesticVrpConsents");

            migrationBuilder.DropTable(
                name: "DomesticVrpInstructions");

            migrationBuilder.DropIndex(
                name: "IX_DomesticPayments_ConsentId_CreationDateTime",
                table: "DomesticPayments");
        }
    }
}
