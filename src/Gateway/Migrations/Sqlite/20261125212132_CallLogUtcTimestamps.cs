using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Gateway.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallLogUtcTimestamps : Migration
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
