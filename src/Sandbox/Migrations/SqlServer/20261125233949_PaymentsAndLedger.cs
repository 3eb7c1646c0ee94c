using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PaymentsAndLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DomesticPaymentConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    InitiationJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    RiskJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    AuthorisationJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ScaSupportDataJson = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    ReadRefundAccount = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: true),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    CreditorName = table.Column<string>(type: "nvarchar(350)", maxLength: 350, nullable: false),
                    CreditorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CreditorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Reference = table.Column<string>(type: "nvarchar(35)", maxLength: 35, nullable: true),
                    DebtorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DebtorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    CustomerId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DebtorAccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticPaymentConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticPaymentConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DomesticPayments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    ConsentId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    CustomerId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    DebtorAccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CreditorAccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    CreditorName = table.Column<string>(type: "nvarchar(350)", maxLength: 350, nullable: false),
                    CreditorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreationDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    StatusUpdateDateTime = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    RiskScore = table.Column<int>(type: "int", nullable: false),
                    RiskReasons = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: false),
                    Scenario = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Debited = table.Column<bool>(type: "bit", nullable: false),
                    NextActionAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DomesticPayments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DomesticPayments_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FundsConfirmationConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StatusUpdateDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ExpirationDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    DebtorSchemeName = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    DebtorIdentification = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    DebtorName = table.Column<string>(type: "nvarchar(350)", maxLength: 350, nullable: true),
                    DebtorSecondaryIdentification = table.Column<string>(type: "nvarchar(34)", maxLength: 34, nullable: true),
                    CustomerId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    AccountId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    DeletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FundsConfirmationConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FundsConfirmationConsents_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FundsConfirmations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ConsentId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Reference = table.Column<string>(type: "nvarchar(35)", maxLength: 35, nullable: false),
                    Amount = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    FundsAvailable = table.Column<bool>(type: "bit", nullable: false),
                    CreationDateTime = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FundsConfirmations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FundsConfirmations_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Operation = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    RequestHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PostingId = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    LedgerAccount = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "nvarchar(3)", maxLength: 3, nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    PaymentId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerEntries_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentStatusChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    PaymentId = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Detail = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentStatusChanges_DomesticPayments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "DomesticPayments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPaymentConsents_TenantId_ClientId",
                table: "DomesticPaymentConsents",
                columns: new[] { "TenantId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_ConsentId",
                table: "DomesticPayments",
                column: "ConsentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_DebtorAccountId_CreationDateTime",
                table: "DomesticPayments",
                columns: new[] { "DebtorAccountId", "CreationDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_NextActionAt",
                table: "DomesticPayments",
                column: "NextActionAt");

            migrationBuilder.CreateIndex(
                name: "IX_DomesticPayments_TenantId",
                table: "DomesticPayments",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_FundsConfirmationConsents_TenantId_ClientId",
                table: "FundsConfirmationConsents",
                columns: new[] { "TenantId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_FundsConfirmations_ConsentId_Reference",
                table: "FundsConfirmations",
                columns: new[] { "ConsentId", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FundsConfirmations_TenantId",
                table: "FundsConfirmations",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_ClientId_Operation_Key",
                table: "IdempotencyRecords",
                columns: new[] { "ClientId", "Operation", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedAt",
                table: "IdempotencyRecords",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_PaymentId",
                table: "LedgerEntries",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_TenantId_LedgerAccount",
                table: "LedgerEntries",
                columns: new[] { "TenantId", "LedgerAccount" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentStatusChanges_PaymentId",
                table: "PaymentStatusChanges",
                column: "PaymentId");

            // Banks generated before the ledger: each account opens with its balance against equity, so the
            // ledger invariant holds for them too.
            migrationBuilder.Sql("""INSERT INTO [LedgerEntries] ([TenantId], [PostingId], [Kind], [LedgerAccount], [Currency], [AmountMinor], [PaymentId], [CreatedAt]) SELECT [TenantId], 'open-' + [Id], 'Opening', [Id], [Currency], [BookedBalanceMinor], NULL, [OpeningDate] FROM [Accounts] WHERE [BookedBalanceMinor] <> 0;""");
            migrationBuilder.Sql("""INSERT INTO [LedgerEntries] ([TenantId], [PostingId], [Kind], [LedgerAccount], [Currency], [AmountMinor], [PaymentId], [CreatedAt]) SELECT [TenantId], 'open-' + [Id], 'Opening', 'system:equity:' + [Currency], [Currency], -[BookedBalanceMinor], NULL, [OpeningDate] FROM [Accounts] WHERE [BookedBalanceMinor] <> 0;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DomesticPaymentConsents");

            migrationBuilder.DropTable(
                name: "FundsConfirmationConsents");

            migrationBuilder.DropTable(
                name: "FundsConfirmations");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "LedgerEntries");

            migrationBuilder.DropTable(
                name: "PaymentStatusChanges");

            migrationBuilder.DropTable(
                name: "DomesticPayments");
        }
    }
}
