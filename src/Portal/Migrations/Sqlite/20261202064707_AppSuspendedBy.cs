using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Portal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppSuspendedBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SuspendedBy",
                table: "PartnerApps",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            // Who suspended an app before this column existed is unknown: the bank's suspension is the safe reading
            // (an admin can lift it; a team cannot lift what the bank may have decided).
            migrationBuilder.Sql("UPDATE PartnerApps SET SuspendedBy = 'Bank' WHERE Suspended = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SuspendedBy",
                table: "PartnerApps");
        }
    }
}
