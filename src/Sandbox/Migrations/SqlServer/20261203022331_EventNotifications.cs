using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenBanking.Sandbox.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EventNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BankSigningKeys",
                columns: table => new
                {
                    Kid = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Algorithm = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    PublicJwk = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    ProtectedPrivateKey = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ActivatesAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    SupersededAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    UnpublishAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BankSigningKeys", x => x.Kid);
                });

            migrationBuilder.CreateTable(
                name: "EventNotifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Jti = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    EventType = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ResourceType = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ResourceStatus = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    OutboxMessageId = table.Column<long>(type: "bigint", nullable: true),
                    IsTest = table.Column<bool>(type: "bit", nullable: false),
                    Set = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Kid = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CallbackUrl = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RoundStartedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RoundTrigger = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    LastAttemptAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastStatusCode = table.Column<int>(type: "int", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    SetError = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    SetErrorDescription = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventNotifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventNotifications_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EventSubscriptions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ClientId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    CallbackUrl = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    EventTypes = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    ApiVersion = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventSubscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventSubscriptions_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EventDeliveryAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    NotificationId = table.Column<long>(type: "bigint", nullable: false),
                    AttemptedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CallbackUrl = table.Column<string>(type: "nvarchar(2032)", maxLength: 2032, nullable: false),
                    InteractionId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    StatusCode = table.Column<int>(type: "int", nullable: true),
                    LatencyMs = table.Column<int>(type: "int", nullable: false),
                    EchoedInteractionId = table.Column<bool>(type: "bit", nullable: false),
                    Error = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Trigger = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventDeliveryAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventDeliveryAttempts_EventNotifications_NotificationId",
                        column: x => x.NotificationId,
                        principalTable: "EventNotifications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Undispatched",
                table: "OutboxMessages",
                column: "Id",
                filter: "[DispatchedAt] IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_EventDeliveryAttempts_NotificationId_Id",
                table: "EventDeliveryAttempts",
                columns: new[] { "NotificationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EventNotifications_ExpiresAt",
                table: "EventNotifications",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_EventNotifications_Jti",
                table: "EventNotifications",
                column: "Jti",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EventNotifications_OutboxMessageId_EventType",
                table: "EventNotifications",
                columns: new[] { "OutboxMessageId", "EventType" },
                unique: true,
                filter: "[OutboxMessageId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_EventNotifications_State_NextAttemptAt",
                table: "EventNotifications",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EventNotifications_TenantId_ClientId_Id",
                table: "EventNotifications",
                columns: new[] { "TenantId", "ClientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_EventSubscriptions_TenantId_ClientId",
                table: "EventSubscriptions",
                columns: new[] { "TenantId", "ClientId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BankSigningKeys");

            migrationBuilder.DropTable(
                name: "EventDeliveryAttempts");

            migrationBuilder.DropTable(
                name: "EventSubscriptions");

            migrationBuilder.DropTable(
                name: "EventNotifications");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Undispatched",
                table: "OutboxMessages");
        }
    }
}
