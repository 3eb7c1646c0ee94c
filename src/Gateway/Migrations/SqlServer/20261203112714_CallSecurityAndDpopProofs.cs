using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Gateway.Migrations.SqlServer
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
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "DpopJkt",
                table: "ApiCalls",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RefusalRule",
                table: "ApiCalls",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SignatureKid",
                table: "ApiCalls",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Signed",
                table: "ApiCalls",
                type: "bit",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DpopProofs",
                columns: table => new
                {
                    Key = table.Column<byte[]>(type: "binary(16)", fixedLength: true, maxLength: 16, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: false)
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
