using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ConsentApiVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ApiVersion",
                table: "FundsConfirmationConsents",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "V3_1_11"); // every consent and payment before this migration was made through v3.1.11

            migrationBuilder.AddColumn<string>(
                name: "ApiVersion",
                table: "DomesticPayments",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "V3_1_11"); // every consent and payment before this migration was made through v3.1.11

            migrationBuilder.AddColumn<string>(
                name: "ApiVersion",
                table: "DomesticPaymentConsents",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "V3_1_11"); // every consent and payment before this migration was made through v3.1.11

            migrationBuilder.AddColumn<string>(
                name: "ApiVersion",
                table: "AccountAccessConsents",
                type: "nvarchar(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "V3_1_11"); // every consent and payment before this migration was made through v3.1.11
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApiVersion",
                table: "FundsConfirmationConsents");

            migrationBuilder.DropColumn(
                name: "ApiVersion",
                table: "DomesticPayments");

            migrationBuilder.DropColumn(
                name: "ApiVersion",
                table: "DomesticPaymentConsents");

            migrationBuilder.DropColumn(
                name: "ApiVersion",
                table: "AccountAccessConsents");
        }
    }
}
