using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PaymentKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DomesticPayments_ConsentId",
                table: "DomesticPayments");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "DomesticPayments",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Domestic");

            migrationBuilder.AddColumn<string>(
                name: "OrderId",
                table: "DomesticPayments",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_ConsentId",
                table: "DomesticPayments",
                column: "ConsentId",
                unique: true,
                filter: "[Kind] = 'Domestic'");

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_OrderId",
                table: "DomesticPayments",
                column: "OrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DomesticPayments_ConsentId",
                table: "DomesticPayments");

            migrationBuilder.DropIndex(
                name: "IX_DomesticPayments_OrderId",
                table: "DomesticPayments");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "DomesticPayments");

            migrationBuilder.DropColumn(
                name: "OrderId",
                table: "DomesticPayments");

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_ConsentId",
                table: "DomesticPayments",
                column: "ConsentId",
                unique: true);
        }
    }
}
