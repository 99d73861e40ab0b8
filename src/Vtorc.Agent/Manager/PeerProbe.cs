using System.Net.Sockets;
using Topodata;

namespace Vtorc.Agent.Manager;

/// <summary>
/// Whether any other tablet of the shard can be reached: a TCP connection to its tablet server (the gRPC port in its
/// Tablet record), opened and closed at once. Not to its mysqld: a connection closed before the handshake counts
/// against <c>max_connect_errors</c>, and a server that blocks this host would later refuse it as a replica. A primary
/// that reaches no peer and not the topology either is cut off (<see cref="ShardSync"/>).
/// </summary>
internal static class PeerProbe
{
    /// <summary>True as soon as one peer accepts a connection within <paramref name="timeout"/>; false otherwise.</summary>
    public static async Task<bool> AnyReachableAsync(IReadOnlyList<Tablet> peers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peers);
        if (peers.Count == 0)
        {
            return false;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var attempts = peers.Select(peer => ConnectsAsync(peer.Hostname, peer.PortMap.TryGetValue("grpc", out var port) ? port : 0, deadline.Token)).ToList();
        while (attempts.Count > 0)
        {
            var done = await Task.WhenAny(attempts).ConfigureAwait(false);
            if (await done.ConfigureAwait(false))
            {
                await deadline.CancelAsync().ConfigureAwait(false);
                return true;
            }
            attempts.Remove(done);
        }
        return false;
    }

    private static async Task<bool> ConnectsAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(host) || port is <= 0 or > 65535)
        {
            return false;
        }
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
        {
            return false;
        }
    }
}
