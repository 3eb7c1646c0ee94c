using System.Text.Json;
using OpenBanking.ServiceDefaults.Privacy;

namespace OpenBanking.Identity.Accounts;

/// <summary>An email the platform sends: plain text, links on lines of their own.</summary>
public sealed record MailMessage(string To, string Subject, string Body);

/// <summary>A message written to the mail drop, as the Development mail page shows it.</summary>
public sealed record StoredMail(string Id, DateTimeOffset SentAt, string To, string Subject, string Body);

/// <summary>Sends the account emails (confirmation, password reset, notices).</summary>
public interface IMailSender
{
    Task SendAsync(MailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// Writes each message as a JSON file into <c>{data folder}/mail/</c>, which the Development page /dev/mail lists.
/// Development only; every other environment sends through SMTP (<see cref="SmtpMailSender"/>).
/// </summary>
internal sealed partial class FileMailSender(MailDrop drop, TimeProvider clock, ILogger<FileMailSender> logger) : IMailSender
{
    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        var sentAt = clock.GetUtcNow();
        // Sortable by name: the UTC timestamp first, then a random part so two messages in one millisecond differ.
        // Digits and lower-case hex only: the app generates lower-case URLs and file names are case-sensitive.
        var id = $"{sentAt.UtcDateTime:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        var mail = new StoredMail(id, sentAt, message.To, message.Subject, message.Body);
        await drop.WriteAsync(mail, cancellationToken);
        // The body holds links with tokens; the log names only the subject and the recipient (personal data: a keyed hash).
        LogSent(logger, message.Subject, message.To);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail \"{Subject}\" written to the mail drop for {Recipient}")]
    private static partial void LogSent(ILogger logger, string subject, [PersonalData] string recipient);
}

/// <summary>The folder the file sender writes to: <c>Database:DataDirectory</c> (default "data") under the content root, then "mail".</summary>
public sealed class MailDrop
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public MailDrop(IConfiguration configuration, IHostEnvironment environment)
    {
        var dataDirectory = Path.GetFullPath(configuration["Database:DataDirectory"] ?? "data", environment.ContentRootPath);
        Directory = Path.Combine(dataDirectory, "mail");
    }

    public string Directory { get; }

    public async Task WriteAsync(StoredMail mail, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var file = Path.Combine(Directory, mail.Id + ".json");
        var temp = file + ".tmp";
        await using (var stream = File.Create(temp))
        {
            await JsonSerializer.SerializeAsync(stream, mail, Json, cancellationToken);
        }

        // Readers never see a half-written message.
        File.Move(temp, file);
    }

    /// <summary>Every message, newest first.</summary>
    public async Task<IReadOnlyList<StoredMail>> ListAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var messages = new List<StoredMail>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json").OrderDescending(StringComparer.Ordinal))
        {
            if (await ReadFileAsync(file, cancellationToken) is { } mail)
            {
                messages.Add(mail);
            }
        }

        return messages;
    }

    public async Task<StoredMail?> FindAsync(string id, CancellationToken cancellationToken)
    {
        // Ids are file names this class made; anything else (a path, "..") is simply not found.
        if (id.Length == 0 || id.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            return null;
        }

        var file = Path.Combine(Directory, id + ".json");
        return File.Exists(file) ? await ReadFileAsync(file, cancellationToken) : null;
    }

    private static async Task<StoredMail?> ReadFileAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return await JsonSerializer.DeserializeAsync<StoredMail>(stream, Json, cancellationToken);
    }
}
