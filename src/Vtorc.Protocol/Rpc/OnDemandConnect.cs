using System.Net.Sockets;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// The TCP connect of every channel we open (to tablets and to etcd). Given a bare <see cref="SocketsHttpHandler"/>,
/// grpc-dotnet manages connections itself: after a failed connection attempt it fails every call at once with
/// "Error connecting to subchannel" until a reconnect backoff has passed, and that backoff grows to 120 s while the
/// server stays away. A failover tool must reach an etcd member or a tablet the moment it is back, and our callers
/// already decide themselves when to retry. A handler with its own connect callback is left alone by grpc-dotnet
/// (no subchannels, no backoff): SocketsHttpHandler then dials on demand for the next call, within its
/// <see cref="SocketsHttpHandler.ConnectTimeout"/>.
/// </summary>
internal static class OnDemandConnect
{
    public static void Apply(SocketsHttpHandler handler) => handler.ConnectCallback = ConnectAsync;

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
