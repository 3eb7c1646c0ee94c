using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Identity.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DpopProofs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
