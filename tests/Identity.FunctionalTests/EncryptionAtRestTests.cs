using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.ServiceDefaults.Encryption;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using OtpNet;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Partners' authenticator keys and recovery codes are encrypted in AspNetUserTokens (read here straight from the
/// SQLite file), two-factor sign-in still works, and the rotation command re-encrypts them — legacy plaintext included —
/// under a new key while they stay readable.
/// </summary>
public sealed class EncryptionAtRestTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string Password = "Correct-Horse-7";
    private const string TwoFactorPath = "/account/manage/twofactor";

    [Fact]
    public async Task TwoFactorEnrolment_StoresNoPlaintextKeyOrRecoveryCode_AndSignInWithTheCodeWorks()
    {
        var session = NewSession();
        var email = $"dev-{Guid.NewGuid():N}@wallet.example";
        var userId = await CreateConfirmedPartnerAsync(email);
        await session.FollowAsync(await SignInAsync(session, email));

        var enrol = await session.GetAsync(TwoFactorPath);
        var sharedKey = enrol.TextOf("shared-key").Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var totp = new Totp(Base32Encoding.ToBytes(sharedKey));
        var enabled = await session.SubmitAsync(enrol, "enable-form", new Dictionary<string, string> { ["Code"] = totp.ComputeTotp() });
        var recoveryCodes = enabled.Document.QuerySelectorAll("[data-testid='recovery-codes'] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, recoveryCodes.Count);

        var rows = await RawTokensAsync(userId);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.StartsWith(ColumnProtector.Prefix, row, StringComparison.Ordinal);
            Assert.DoesNotContain(sharedKey, row, StringComparison.OrdinalIgnoreCase);
            Assert.All(recoveryCodes, code => Assert.DoesNotContain(code, row, StringComparison.OrdinalIgnoreCase));
        });

        var signedOut = await session.SubmitAsync(await session.GetAsync("/account/logout"), "logout-form");
        Assert.NotNull(signedOut.ByTestId("signed-out"));
        var codePage = await session.FollowAsync(await SignInAsync(session, email));
        var signedIn = await session.SubmitAsync(codePage, "two-factor-form", new Dictionary<string, string> { ["Input.Code"] = totp.ComputeTotp() });
        Assert.Equal(email, signedIn.TextOf("signed-in-as"));
    }

    [Fact]
    public async Task RotateKeys_ReencryptsEveryTokenUnderTheNewKey_IncludingLegacyPlaintext_AndTheyStayUsable()
    {
        var ct = TestContext.Current.CancellationToken;
        var encryptedUser = await CreateConfirmedPartnerAsync($"dev-{Guid.NewGuid():N}@wallet.example");
        var legacyUser = await CreateConfirmedPartnerAsync($"dev-{Guid.NewGuid():N}@wallet.example");
        string encryptedKey;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(encryptedUser))!;
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            encryptedKey = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        // A row as an Identity before this change wrote it: the key in plaintext.
        const string legacyKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        await using (var connection = await OpenAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value) VALUES ($u, '[AspNetUserStore]', 'AuthenticatorKey', $v)";
            insert.Parameters.AddWithValue("$u", legacyUser);
            insert.Parameters.AddWithValue("$v", legacyKey);
            await insert.ExecuteNonQueryAsync(ct);
        }

        var rotation = factory.Services.GetRequiredService<ColumnKeyRotation>();
        var newKey = await rotation.CreateNewKeyAsync(TestContext.Current.CancellationToken);
        var tally = Assert.Single(await rotation.ReencryptAsync(batchSize: 1, ct: ct));

        Assert.True(tally.Reencrypted >= 2, tally.ToString());
        Assert.True(tally.WerePlaintext >= 1, tally.ToString());
        Assert.Equal(0, tally.Unreadable);
        var prefix = ColumnProtector.PrefixFor(newKey);
        Assert.All(await RawTokensAsync(encryptedUser), row => Assert.StartsWith(prefix, row, StringComparison.Ordinal));
        Assert.All(await RawTokensAsync(legacyUser), row => Assert.StartsWith(prefix, row, StringComparison.Ordinal));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.Equal(encryptedKey, await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(encryptedUser))!));
            var legacy = (await users.FindByIdAsync(legacyUser))!;
            Assert.Equal(legacyKey, await users.GetAuthenticatorKeyAsync(legacy));
            var code = new Totp(Base32Encoding.ToBytes(legacyKey)).ComputeTotp();
            Assert.True(await users.VerifyTwoFactorTokenAsync(legacy, users.Options.Tokens.AuthenticatorTokenProvider, code));
        }

        // A second run finds nothing left to do.
        var again = Assert.Single(await rotation.ReencryptAsync(ct: ct));
        Assert.Equal(0, again.Examined);
    }

    private async Task<List<string>> RawTokensAsync(string userId)
    {
        await using var connection = await OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT Value FROM AspNetUserTokens WHERE UserId = $u";
        select.Parameters.AddWithValue("$u", userId);
        var values = new List<string>();
        await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(factory.Services.GetRequiredService<DatabaseSettings>().ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private HtmlSession NewSession() =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private async Task<string> CreateConfirmedPartnerAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Partner" };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Partner)).Succeeded);
        return user.Id;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HtmlSession session, string email)
        => await session.PostFormAsync(await session.GetAsync("/account/login"), "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });
}
