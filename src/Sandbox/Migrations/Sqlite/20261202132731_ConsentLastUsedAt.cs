using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConsentLastUsedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastUsedAt",
                table: "FundsConfirmationConsents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastUsedAt",
                table: "DomesticPaymentConsents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastUsedAt",
                table: "AccountAccessConsents",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "FundsConfirmationConsents");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "DomesticPaymentConsents");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "AccountAccessConsents");
        }
    }
}
