using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Gateway.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallDetails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ApiCallDetails",
                columns: table => new
                {
                    CallId = table.Column<long>(type: "INTEGER", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RequestHeaders = table.Column<string>(type: "TEXT", nullable: true),
                    ResponseHeaders = table.Column<string>(type: "TEXT", nullable: true),
                    RequestBody = table.Column<string>(type: "TEXT", nullable: true),
                    RequestBodyTruncated = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequestBodyNote = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: true),
                    ResponseBodyTruncated = table.Column<bool>(type: "INTEGER", nullable: false),
                    ResponseBodyNote = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ErrorCodes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiCallDetails", x => x.CallId);
                    table.ForeignKey(
                        name: "FK_ApiCallDetails_ApiCalls_CallId",
                        column: x => x.CallId,
                        principalTable: "ApiCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiCallDetails_Timestamp",
                table: "ApiCallDetails",
                column: "Timestamp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiCallDetails");
        }
    }
}
