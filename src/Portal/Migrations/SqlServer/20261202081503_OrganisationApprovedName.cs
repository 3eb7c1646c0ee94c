using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Portal.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OrganisationApprovedName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ApprovedName",
                table: "Organisations",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            // Organisations approved before this column existed go on under the name they hold (Pending ones were never
            // approved, or are renamed ones whose approved name is lost: the bank reviews them as new).
            migrationBuilder.Sql("UPDATE Organisations SET ApprovedName = LegalName WHERE Status IN ('Approved', 'Suspended')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApprovedName",
                table: "Organisations");
        }
    }
}
