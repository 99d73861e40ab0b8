using System.Net.Http;
using System.Security.Authentication;
using Grpc.Core;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// Why a TLS call failed, in one sentence to put first in its error (grpc-dotnet's own text starts with "Error starting
/// gRPC call" and the exception chain, so the reason would come last and be cut off where errors are shortened).
/// A certificate we refused carries its reason already (<see cref="PeerCertificateCheck"/>). With TLS 1.3 a server that refuses the client's certificate (none, expired, unknown CA, revoked) does so after the
/// client has finished its handshake: the client only sees the connection close (end of stream, reset or broken pipe).
/// This recognises that failure and says what it most likely means, naming the client certificate we offered.
/// </summary>
public static class TlsRefusalHint
{
    /// <summary>The reason of a TLS call that failed in the handshake; null for any other failure.</summary>
    public static string? For(RpcException e, RpcChannelOptions options, string certificateFlags)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(options);
        bool closedBeforePreface = false;
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException refused)
            {
                return refused.Message.StartsWith("TLS: ", StringComparison.Ordinal) ? refused.Message["TLS: ".Length..] : "TLS handshake failed: " + refused.Message;
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
        // A server that dies mid-call looks the same once, which is why this is worded as a likely cause.
        return options.ClientCertificate is { } mine
            ? "client certificate refused? The server closed the TLS connection, as one does that refuses ours: "
              + $"{mine.Subject} (issued by {mine.Issuer}, valid to {mine.NotAfter.ToUniversalTime():u}, {certificateFlags}); expired, revoked or "
              + "from a CA the server does not trust? Its log says which"
            : "client certificate required? The server closed the TLS connection, as one does that requires a client certificate, "
              + $"and we offer none (set {certificateFlags})";
    }
}
