using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountIdentificationIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Accounts_TenantId_Identification",
                table: "Accounts",
                columns: new[] { "TenantId", "Identification" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_TenantId_Identification",
                table: "Accounts");
        }
    }
}
