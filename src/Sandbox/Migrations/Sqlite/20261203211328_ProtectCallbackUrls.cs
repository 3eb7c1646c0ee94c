using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProtectCallbackUrls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
