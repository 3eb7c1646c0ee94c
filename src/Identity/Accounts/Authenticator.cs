using System.Text;
using QRCoder;

namespace OpenBanking.Identity.Accounts;

/// <summary>What an authenticator app needs to enrol: the shared key, readable, and as an otpauth QR code.</summary>
internal static class Authenticator
{
    public const string Issuer = "Sandbox Bank Developer Platform";

    /// <summary>The base32 key in lower-case groups of four, easier to type than one long run.</summary>
    public static string FormatKey(string key)
    {
        var formatted = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                formatted.Append(' ');
            }

            formatted.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return formatted.ToString().ToLowerInvariant();
    }

    /// <summary>The key URI format authenticator apps read (github.com/google/google-authenticator/wiki/Key-Uri-Format).</summary>
    public static string OtpAuthUri(string accountName, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(accountName)}" +
        $"?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>A PNG QR code as a data URI, so the page needs neither JavaScript nor a second request.</summary>
    public static string QrCodeDataUri(string content)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(pixelsPerModule: 5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>What a user types: spaces and dashes removed.</summary>
    public static string NormalizeCode(string? code) =>
        (code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
}
