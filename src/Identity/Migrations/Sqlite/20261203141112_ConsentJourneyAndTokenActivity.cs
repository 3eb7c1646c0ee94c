using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Identity.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConsentJourneyAndTokenActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConsentJourneySteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Page = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    RequestKey = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentJourneySteps", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TokenActivity",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ConsentId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenActivity", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentJourneySteps_ConsentId_ClientId",
                table: "ConsentJourneySteps",
                columns: new[] { "ConsentId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentJourneySteps_RequestKey",
                table: "ConsentJourneySteps",
                column: "RequestKey");

            migrationBuilder.CreateIndex(
                name: "IX_TokenActivity_ClientId_At",
                table: "TokenActivity",
                columns: new[] { "ClientId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_TokenActivity_ConsentId",
                table: "TokenActivity",
                column: "ConsentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsentJourneySteps");

            migrationBuilder.DropTable(
                name: "TokenActivity");
        }
    }
}
