using System.Net.Http;
using System.Security.Authentication;
using Grpc.Core;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// With TLS 1.3 a server that refuses the client's certificate (none, expired, unknown CA, revoked) does so after the
/// client has finished its handshake: the client only sees the connection close (end of stream, reset or broken pipe).
/// This recognises that failure and says what it most likely means, naming the client certificate we offered.
/// </summary>
public static class TlsRefusalHint
{
    /// <summary>The sentence to add to the error of a TLS call that failed this way; null for any other failure.</summary>
    public static string? For(RpcException e, RpcChannelOptions options, string certificateFlags)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(options);
        bool closedBeforePreface = false;
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return null;
            }
            // The close shows as the end of the response, an unfinished HTTP/2 handshake or a reset, depending on when the
            // server's alert arrives (SocketsHttpHandler reports the handshake case with and without an error code).
            closedBeforePreface |= inner is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse }
                || inner is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse }
                || (inner is IOException or HttpRequestException && inner.Message.Contains("HTTP/2 handshake", StringComparison.Ordinal))
                || inner is System.Net.Sockets.SocketException
                {
                    SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.Shutdown
                        or System.Net.Sockets.SocketError.ConnectionAborted,
                };
        }
        if (!closedBeforePreface)
        {
            return null;
        }
        // A server that dies mid-call looks the same once, which is why this is worded as a likelihood.
        return options.ClientCertificate is { } mine
            ? "the server closed the TLS connection; when it does so at every call it refuses our client certificate "
              + $"{mine.Subject} (issued by {mine.Issuer}, valid to {mine.NotAfter.ToUniversalTime():u}, {certificateFlags}): expired, revoked or "
              + "from a CA it does not trust? Its log says which"
            : "the server closed the TLS connection; when it does so at every call it requires a client certificate and we offer none "
              + $"(set {certificateFlags})";
    }
}
