using Grpc.Core;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// A call's status as grpc-go would report it. grpc-dotnet reports a connection that failed for other reasons than
/// the socket (a refused TLS handshake: unknown CA, wrong name, a client certificate the server will not take) as
/// INTERNAL; grpc-go reports it as UNAVAILABLE ("authentication handshake failed", grpc-go
/// internal/transport/http2_client.go), and so do we: the server could not be reached, which is not the same as a
/// server that answered with an error (an unreachable tablet is not polled as a broken one; another etcd member is
/// worth trying).
/// </summary>
public static class TransportStatus
{
    public static StatusCode Of(RpcException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.StatusCode == StatusCode.Internal && TransportFailed(e) ? StatusCode.Unavailable : e.StatusCode;
    }

    /// <summary>grpc-dotnet keeps the transport's exception as the status's debug exception; a server's own errors have none.</summary>
    public static bool TransportFailed(RpcException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException)
            {
                return true;
            }
        }
        return false;
    }
}
