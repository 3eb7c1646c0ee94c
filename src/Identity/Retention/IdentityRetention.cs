using System.Globalization;
using Microsoft.Extensions.Options;
using OpenBanking.Identity.Accounts;
using OpenBanking.ServiceDefaults.Retention;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Retention;

/// <summary><c>Identity:Retention</c> settings.</summary>
public sealed class IdentityRetentionOptions : RetentionSettings
{
    public const string SectionName = "Identity:Retention";

    /// <summary>
    /// OpenIddict tokens and authorizations that no longer work (expired, revoked, redeemed, or an ad-hoc authorization
    /// left with no valid token) and were created more than this many days ago are deleted — OpenIddict's own
    /// default for pruning (14); a valid refresh token and the authorization behind it are never pruned.
    /// </summary>
    public int TokenDays { get; set; } = 14;

    /// <summary>Development's mail files (addresses and links with tokens) are deleted this many days after they were written.</summary>
    public int MailDays { get; set; } = 7;
}

/// <summary>
/// Identity's retention (issue 22): dead OpenIddict tokens and authorizations through the managers' own
/// <c>PruneAsync</c>, and the Development mail drop's files. Consent-journey steps and token activity are deleted after
/// 90 days by <see cref="Grants.GrantRecordsCleanup"/>, DPoP proofs after their minute by <c>DpopProofCleanup</c>.
/// </summary>
public sealed class IdentityRetention(
    IServiceScopeFactory scopes, MailDrop mail, TimeProvider time, IOptions<IdentityRetentionOptions> options, ILogger<IdentityRetention> logger)
    : RetentionWorker(time, logger)
{
    protected override RetentionSettings Settings => options.Value;

    public override async Task<IReadOnlyDictionary<string, int>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var threshold = now - TimeSpan.FromDays(options.Value.TokenDays);
        // OpenIddict deletes in batches of its own (1,000 rows a transaction) until nothing is left.
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        return new Dictionary<string, int>
        {
            ["tokens"] = (int)Math.Min(tokens, int.MaxValue),
            ["authorizations"] = (int)Math.Min(authorizations, int.MaxValue),
            ["mail files"] = DeleteOldMail(now - TimeSpan.FromDays(options.Value.MailDays)),
        };
    }

    /// <summary>Deletes the mail drop's messages (and abandoned half-writes) written before the cutoff; how many.</summary>
    private int DeleteOldMail(DateTimeOffset cutoff)
    {
        if (!Directory.Exists(mail.Directory))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(mail.Directory, "*.json*"))
        {
            if (WrittenAt(file) < cutoff)
            {
                try
                {
                    File.Delete(file);
                    deleted++;
                }
                catch (IOException)
                {
                    // Being read by the mail page right now: the next run deletes it.
                }
            }
        }

        return deleted;
    }

    /// <summary>The time in the file's name (FileMailSender writes "yyyyMMddHHmmssfff-…"), else its last write.</summary>
    private static DateTimeOffset WrittenAt(string file)
        => Path.GetFileName(file) is { Length: > 17 } name
            && DateTime.TryParseExact(name[..17], "yyyyMMddHHmmssfff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
}
