using OpenBanking.Sandbox.Customers.Custom;
using OpenBanking.Sandbox.Accounts.V3_1;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Accounts.V4_0;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.Consents.V4_0;
using OpenBanking.Sandbox.Events.Polling;
using OpenBanking.Sandbox.Events.Subscriptions;
using OpenBanking.Sandbox.Extensions;
using OpenBanking.Sandbox.Payee;
using OpenBanking.Sandbox.Funds.V3_1;
using OpenBanking.Sandbox.Funds.V4_0;
using OpenBanking.Sandbox.Internal;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.V3_1;
using OpenBanking.Sandbox.Payments.V4_0;
using OpenBanking.Sandbox.Payments.Vrp;
using OpenBanking.Sandbox.Payments.International;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Signing;
using OpenBanking.ServiceDefaults.Encryption;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSandboxServices();

var app = builder.Build();

// `rotate-keys` / `reencrypt`: key rotation for encrypted columns (docs/encryption-at-rest.md), not the service.
if (ColumnKeyRotationCommand.IsKeyCommand(args))
{
    return await app.RunKeyCommandAsync(args);
}

app.UseInteractionId();
app.UseResponseSigning();
app.UseExceptionHandler();
// Bank-API errors follow the OBIE contract (401/404/405/406/415 have no body); problem details elsewhere.
app.UseWhen(context => !ObieApi.IsOpenBankingRequest(context.Request), branch => branch.UseStatusCodePages());

app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapSandboxInfo();
app.MapAccountAccessConsentsApi();
app.MapAisApi();
app.MapAccountAccessConsentsApiV4();
app.MapAisApiV4();
app.MapPaymentsApi();
app.MapFundsConfirmationsApi();
app.MapPaymentsApiV4();
app.MapFundsConfirmationsApiV4();
app.MapScheduledPaymentsApi();
app.MapScheduledPaymentsApiV4();
app.MapVrpApi();
app.MapStandingOrdersApi();
app.MapStandingOrdersApiV4();
app.MapInternalApi();
app.MapClockApi();
app.MapCustomersApi();
app.MapSigningApi();
app.MapEventSubscriptionsApi();
app.MapEventPollingApi();
app.MapInternationalPaymentsApi();
app.MapFxApi();
app.MapConfirmationOfPayeeApi();

app.Run();
return 0;
