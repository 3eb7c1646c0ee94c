using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using OpenBanking.ServiceDefaults.Privacy;

namespace OpenBanking.Identity.Accounts;

/// <summary>How the SMTP connection is secured: STARTTLS on a plain port (587), TLS from the start (465), or none.</summary>
public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}

/// <summary>
/// The SMTP server account emails go through (<c>Identity:Smtp</c>): <c>Host</c> and <c>From</c> required,
/// <c>Port</c> (587), <c>Security</c> (<c>StartTls</c>), <c>User</c> and <c>Password</c> (both or neither).
/// </summary>
public sealed record SmtpSettings(string Host, int Port, SmtpSecurity Security, string? User, string? Password, MailboxAddress From)
{
    public const string Section = "Identity:Smtp";

    /// <summary>Reads the settings, or says which one is missing or wrong.</summary>
    public static SmtpSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var host = section["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            throw Missing("Host", "the SMTP server's host name");
        }

        var from = section["From"];
        if (string.IsNullOrWhiteSpace(from))
        {
            throw Missing("From", "the sender address, e.g. \"Open Banking <no-reply@bank.example>\"");
        }

        if (!MailboxAddress.TryParse(from, out var sender))
        {
            throw new InvalidOperationException($"{Section}:From is not an email address: '{from}'.");
        }

        var port = 587;
        if (section["Port"] is { Length: > 0 } portText && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"{Section}:Port must be a port number (1-65535), not '{portText}'.");
        }

        var security = SmtpSecurity.StartTls;
        if (section["Security"] is { Length: > 0 } securityText && !Enum.TryParse(securityText, ignoreCase: true, out security))
        {
            throw new InvalidOperationException($"{Section}:Security must be StartTls, SslOnConnect or None, not '{securityText}'.");
        }

        var user = section["User"];
        var password = section["Password"];
        if (string.IsNullOrEmpty(user) != string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException($"{Section}:User and {Section}:Password go together: set both, or neither for a relay without authentication.");
        }

        return new SmtpSettings(host, port, security, user, password, sender);
    }

    private static InvalidOperationException Missing(string name, string what) => new(
        $"{Section}:{name} is not set. Outside Development Identity sends account emails (confirmation, password reset) " +
        $"through an SMTP server and does not start without one: set {Section}:{name} ({what}).");
}

/// <summary>
/// Sends account emails through the configured SMTP server (every environment but Development). A failed send is
/// logged, not thrown: the pages answer the same whether or not an address has an account, and a 500 only for
/// existing accounts would tell them apart.
/// </summary>
internal sealed partial class SmtpMailSender(SmtpSettings settings, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken = default)
    {
        try
        {
            using var mime = new MimeMessage();
            mime.From.Add(settings.From);
            mime.To.Add(MailboxAddress.Parse(message.To));
            mime.Subject = message.Subject;
            mime.Body = new TextPart("plain") { Text = message.Body };

            using var client = new SmtpClient();
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security switch
            {
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(mime, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            LogSent(logger, message.Subject, message.To);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(logger, exception, message.Subject, message.To, settings.Host);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail \"{Subject}\" sent by SMTP to {Recipient}")]
    private static partial void LogSent(ILogger logger, string subject, [PersonalData] string recipient);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail \"{Subject}\" to {Recipient} could not be sent through {Host}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string subject, [PersonalData] string recipient, string host);
}
