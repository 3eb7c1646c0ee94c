using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddAccountAccessConsents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccountAccessConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Permissions = table.Column<string>(type: "TEXT", nullable: false),
                    ExpirationDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    TransactionFromDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    TransactionToDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AccountIds = table.Column<string>(type: "TEXT", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountAccessConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccountAccessConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccountAccessConsents_TenantId_ClientId",
                table: "AccountAccessConsents",
                columns: new[] { "TenantId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountAccessConsents_TenantId_CustomerId",
                table: "AccountAccessConsents",
                columns: new[] { "TenantId", "CustomerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountAccessConsents");
        }
    }
}
