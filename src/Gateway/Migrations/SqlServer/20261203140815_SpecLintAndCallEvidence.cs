using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Gateway.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SpecLintAndCallEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ConsentId",
                table: "ApiCalls",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdempotencyKey",
                table: "ApiCalls",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "InteractionIdSent",
                table: "ApiCalls",
                type: "bit",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ProblemCount",
                table: "ApiCalls",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RefusalReason",
                table: "ApiCalls",
                type: "nvarchar(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RetryAfterSeconds",
                table: "ApiCalls",
                type: "int",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApiCallProblems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CallId = table.Column<long>(type: "bigint", nullable: false),
                    OrganisationId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Timestamp = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Direction = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Severity = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Rule = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    Path = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: true),
                    Message = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    ApiVersion = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    Method = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    RouteTemplate = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiCallProblems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiCallProblems_ApiCalls_CallId",
                        column: x => x.CallId,
                        principalTable: "ApiCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiCalls_OrganisationId_ConsentId_Timestamp",
                table: "ApiCalls",
                columns: new[] { "OrganisationId", "ConsentId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiCallProblems_CallId",
                table: "ApiCallProblems",
                column: "CallId");

            migrationBuilder.CreateIndex(
                name: "IX_ApiCallProblems_ClientId_Timestamp",
                table: "ApiCallProblems",
                columns: new[] { "ClientId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiCallProblems_Timestamp",
                table: "ApiCallProblems",
                column: "Timestamp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiCallProblems");

            migrationBuilder.DropIndex(
                name: "IX_ApiCalls_OrganisationId_ConsentId_Timestamp",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "ConsentId",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "IdempotencyKey",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "InteractionIdSent",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "ProblemCount",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "RefusalReason",
                table: "ApiCalls");

            migrationBuilder.DropColumn(
                name: "RetryAfterSeconds",
                table: "ApiCalls");
        }
    }
}
