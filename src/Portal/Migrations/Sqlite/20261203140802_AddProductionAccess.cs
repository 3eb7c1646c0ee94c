using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddProductionAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProductionAccess",
                table: "PartnerApps",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "NotRequested"); // existing apps have not asked

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ProductionAccessDecidedAt",
                table: "PartnerApps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProductionAccessReason",
                table: "PartnerApps",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ProductionAccessRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    FailedChecks = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportJson = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductionAccessRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProductionAccessRequests_PartnerApps_ClientId",
                        column: x => x.ClientId,
                        principalTable: "PartnerApps",
                        principalColumn: "ClientId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PartnerApps_ProductionAccess",
                table: "PartnerApps",
                column: "ProductionAccess");

            migrationBuilder.CreateIndex(
                name: "IX_ProductionAccessRequests_ClientId_RequestedAt",
                table: "ProductionAccessRequests",
                columns: new[] { "ClientId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ProductionAccessRequests_OrganisationId",
                table: "ProductionAccessRequests",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_ProductionAccessRequests_Status",
                table: "ProductionAccessRequests",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProductionAccessRequests");

            migrationBuilder.DropIndex(
                name: "IX_PartnerApps_ProductionAccess",
                table: "PartnerApps");

            migrationBuilder.DropColumn(
                name: "ProductionAccess",
                table: "PartnerApps");

            migrationBuilder.DropColumn(
                name: "ProductionAccessDecidedAt",
                table: "PartnerApps");

            migrationBuilder.DropColumn(
                name: "ProductionAccessReason",
                table: "PartnerApps");
        }
    }
}
