using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OpenBanking.Sandbox.Events;

/// <summary>
/// Where the bank may send a partner's notifications (SSRF rules). Outside Development (or with
/// <see cref="EventOptions.AllowLocalCallbacks"/> false): https only, no user info, and never to loopback, private,
/// link-local, carrier-grade NAT, multicast or unspecified addresses — checked on the URL when it is registered and
/// again on every address the host resolves to when a push connects (so DNS cannot point a public name inward later).
/// In Development: also plain http to a loopback host, and any address.
/// </summary>
public sealed class CallbackPolicy(IOptions<EventOptions> options, IHostEnvironment environment)
{
    public const string NotificationsPath = "/event-notifications";
    public const int MaxLength = 2000;

    public bool AllowsLocal => options.Value.AllowLocalCallbacks ?? environment.IsDevelopment();

    /// <summary>Why the URL cannot be a callback, in words; null when it can.</summary>
    public string? Problem(string url)
    {
        if (url.Length > MaxLength)
        {
            return $"The callback URL is longer than {MaxLength} characters.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "The callback URL must be an absolute https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "The callback URL must not carry a user name or password.";
        }

        if (uri.Fragment.Length > 0 || uri.Query.Length > 0)
        {
            return "The callback URL must not have a query or fragment: the bank appends /event-notifications to its path.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !(AllowsLocal && uri.IsLoopback))
        {
            return AllowsLocal
                ? "The callback URL must use https (plain http is accepted for a loopback host, e.g. http://localhost:5005, in Development only)."
                : "The callback URL must use https.";
        }

        if (!AllowsLocal)
        {
            if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            {
                return "The callback URL must not point at a loopback address.";
            }

            if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsInternal(address))
            {
                return "The callback URL must not point at a private, link-local or otherwise internal address.";
            }
        }

        return null;
    }

    /// <summary>The URL a SET is POSTed to: the callback URL with <c>/event-notifications</c> appended (as the TPP endpoint's spec names it), unless it already ends so.</summary>
    public static Uri Target(string callbackUrl)
    {
        var trimmed = callbackUrl.TrimEnd('/');
        return new Uri(trimmed.EndsWith(NotificationsPath, StringComparison.OrdinalIgnoreCase) ? trimmed : trimmed + NotificationsPath);
    }

    /// <summary>Whether an address is one a partner's callback must never reach outside Development.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127, // carrier-grade NAT 100.64.0.0/10
                169 => b[1] == 254, // link-local (cloud metadata services live here)
                172 => b[1] is >= 16 and <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
                198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100), // benchmarking, documentation
                203 => b[1] == 0 && b[2] == 113,
                >= 224 => true, // multicast and reserved
                _ => false,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8); // documentation 2001:db8::/32
        }

        return true;
    }
}

/// <summary>What a push got back.</summary>
public sealed record CallbackResult(Uri Target, string InteractionId, int? StatusCode, TimeSpan Latency, bool EchoedInteractionId, string? Error, string? ResponseExcerpt)
{
    /// <summary>Delivered: the callback answered 202 Accepted, as the spec asks (any other 2xx is noted but counts too).</summary>
    public bool Delivered => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one SET to one callback: POST, <c>Content-Type: application/jwt</c>, <c>x-fapi-interaction-id</c> and
/// <c>x-fapi-financial-id</c>; no redirect followed, a short timeout, at most <see cref="EventOptions.MaxResponseBytes"/>
/// of the answer read, and each address the host resolves to checked against <see cref="CallbackPolicy"/> before the
/// socket connects. Never throws for the partner's failures: they come back in <see cref="CallbackResult.Error"/>.
/// </summary>
public sealed class CallbackSender(HttpClient http, CallbackPolicy policy, IOptions<EventOptions> options)
{
    public const string HttpClientName = "event-callbacks";

    public async Task<CallbackResult> SendAsync(string callbackUrl, string set, string? interactionId = null, CancellationToken cancellationToken = default)
    {
        var target = CallbackPolicy.Target(callbackUrl);
        interactionId ??= Guid.NewGuid().ToString();
        var started = Stopwatch.GetTimestamp();
        if (policy.Problem(callbackUrl) is { } problem)
        {
            return new CallbackResult(target, interactionId, null, TimeSpan.Zero, false, problem, null);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(set, System.Text.Encoding.ASCII, "application/jwt"),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("x-fapi-interaction-id", interactionId);
        request.Headers.Add("x-fapi-financial-id", options.Value.FinancialId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.DeliveryTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var latency = Stopwatch.GetElapsedTime(started);
            var echoed = response.Headers.TryGetValues("x-fapi-interaction-id", out var values) && values.Contains(interactionId, StringComparer.Ordinal);
            var status = (int)response.StatusCode;
            string? error = status switch
            {
                202 => null,
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"Answered {status} (a redirect to {response.Headers.Location?.ToString() ?? "nowhere"}); the bank follows no redirects.",
                _ => $"Answered {status} {response.ReasonPhrase}.",
            };
            var excerpt = status == 202 ? null : await ExcerptAsync(response, timeout.Token);
            return new CallbackResult(target, interactionId, status, latency, echoed, error, excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure($"No answer within {options.Value.DeliveryTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException exception)
        {
            return Failure(exception.InnerException is BlockedAddressException blocked ? blocked.Message : $"Could not connect: {Words(exception)}");
        }

        CallbackResult Failure(string error) => new(target, interactionId, null, Stopwatch.GetElapsedTime(started), false, error, null);
    }

    private async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[options.Value.MaxResponseBytes];
            var read = 0;
            while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            {
                read += n;
            }

            return read == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static string Words(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name does not resolve.",
        HttpRequestError.ConnectionError => "the connection was refused or dropped.",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed (is the certificate valid?).",
        _ => exception.Message,
    };

    /// <summary>
    /// The handler behind <see cref="SendAsync"/>: no redirects, no cookies, no proxy, pooled connections per callback
    /// host, and a connect step that resolves the host itself and refuses internal addresses (unless allowed).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(CallbackPolicy policy, EventOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = options.DeliveryTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxConnectionsPerServer = Math.Max(options.PerAppConcurrency, 1) * 4,
        MaxResponseHeadersLength = 16,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            if (!policy.AllowsLocal && addresses.Any(CallbackPolicy.IsInternal))
            {
                throw new BlockedAddressException($"Refused: {context.DnsEndPoint.Host} resolves to an internal address, which a callback may not reach.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>A connect refused by the SSRF rules.</summary>
    public sealed class BlockedAddressException(string message) : IOException(message);
}
