using System.Net.Sockets;
using OpenBanking.Gateway.OpenBanking;
using Yarp.ReverseProxy.Forwarder;

namespace OpenBanking.Gateway.Proxy;

/// <summary>
/// The bank behind the gateway failed: an OBIE error body instead of YARP's empty one — 503 when it cannot be
/// reached (down, or no healthy destination), 504 when it did not answer within the route's timeout, 502 otherwise,
/// 413 when the client's body was too large. Never a hang: the cluster's request timeout bounds the wait.
/// </summary>
public static partial class ForwarderErrors
{
    public static IReverseProxyApplicationBuilder UseObieForwarderErrors(this IReverseProxyApplicationBuilder proxy)
    {
        var logger = proxy.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("OpenBanking.Gateway.Proxy");
        proxy.Use(async (context, next) =>
        {
            await next();
            var error = context.GetForwarderErrorFeature();
            if (error is null || context.Response.HasStarted)
            {
                return;
            }

            var (status, message) = Classify(error);
            LogForwarderError(logger, error.Error, status);
            await ObieResponses.WriteErrorAsync(context, status,
                status == StatusCodes.Status413PayloadTooLarge ? ObieResponses.FieldInvalid : ObieResponses.UnexpectedError, message);
        });
        return proxy;
    }

    private static (int Status, string Message) Classify(IForwarderErrorFeature error)
    {
        if (error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            || error.Exception?.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return (StatusCodes.Status413PayloadTooLarge, "The request body is too large.");
        }

        return error.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "The bank did not answer in time. Try again; repeat a payment only with the same x-idempotency-key."),
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, "The bank is not available right now. Try again shortly."),
            ForwarderError.Request when IsUnreachable(error.Exception) => (StatusCodes.Status503ServiceUnavailable, "The bank is not available right now. Try again shortly."),
            _ => (StatusCodes.Status502BadGateway, "The bank's answer could not be relayed. Try again; repeat a payment only with the same x-idempotency-key."),
        };
    }

    private static bool IsUnreachable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to the bank failed ({Error}); answered {Status}")]
    private static partial void LogForwarderError(ILogger logger, ForwarderError error, int status);
}
