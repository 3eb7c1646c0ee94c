using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PaymentScreenings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PaymentScreenings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PaymentId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CustomerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    RuleScore = table.Column<int>(type: "int", nullable: false),
                    ModelScore = table.Column<double>(type: "float", nullable: true),
                    ModelVersion = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Score = table.Column<int>(type: "int", nullable: false),
                    Decision = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Reasons = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    ScoredAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ReviewReleased = table.Column<bool>(type: "bit", nullable: true),
                    ReviewedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ReviewedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    ReviewNote = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentScreenings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentScreenings_Decision_Id",
                table: "PaymentScreenings",
                columns: new[] { "Decision", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentScreenings_PaymentId",
                table: "PaymentScreenings",
                column: "PaymentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentScreenings_RecordedAt",
                table: "PaymentScreenings",
                column: "RecordedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentScreenings_TenantId_Id",
                table: "PaymentScreenings",
                columns: new[] { "TenantId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PaymentScreenings");
        }
    }
}
