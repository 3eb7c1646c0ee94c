using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Gateway.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallSecurityAndDpopProofs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DpopBound",
                table: "ApiCalls",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "DpopJkt",
                table: "ApiCalls",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RefusalRule",
                table: "ApiCalls",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SignatureKid",
                table: "ApiCalls",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Signed",
                table: "ApiCalls",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DpopProofs",
                columns: table => new
                {
                    Key = table.Column<byte[]>(type: "BLOB", fixedLength: true, maxLength: 16, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DpopProofs", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DpopProofs_ExpiresAt",
                table: "DpopProofs",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DpopProofs");

            migrationBuilder.DropColumn(
                name: "DpopBound",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "DpopJkt",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "RefusalRule",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "SignatureKid",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "Signed",
                table: "ApiCalls");
        }
    }
}
