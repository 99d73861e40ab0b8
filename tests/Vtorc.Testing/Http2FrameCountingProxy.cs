using System.Net;
using System.Net.Sockets;

namespace Vtorc.Testing;

/// <summary>
/// A loopback TCP relay in front of an h2c server that parses the client's HTTP/2 frames as they pass, to count
/// the PING frames the client sends (gRPC clients towards tablets and etcd must send none). Bytes are forwarded unchanged.
/// </summary>
public sealed class Http2FrameCountingProxy : IAsyncDisposable
{
    private const int PingFrameType = 0x6;
    private const byte AckFlag = 0x1;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _acceptLoop;
    private int _clientPings;
    private long _clientFrames;

    public Http2FrameCountingProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>PING frames without ACK sent by the client (pings it initiated).</summary>
    public int ClientPings => Volatile.Read(ref _clientPings);

    public long ClientFrames => Interlocked.Read(ref _clientFrames);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(upstream);
                }
                _ = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token).ContinueWith(_ => client.Close(), TaskScheduler.Default);
                _ = RelayClientFramesAsync(client.GetStream(), upstream.GetStream()).ContinueWith(_ => upstream.Close(), TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayClientFramesAsync(NetworkStream client, NetworkStream upstream)
    {
        var preface = new byte[24];
        await client.ReadExactlyAsync(preface, _stop.Token);
        await upstream.WriteAsync(preface, _stop.Token);
        var header = new byte[9];
        while (true)
        {
            await client.ReadExactlyAsync(header, _stop.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await client.ReadExactlyAsync(payload, _stop.Token);
            Interlocked.Increment(ref _clientFrames);
            if (header[3] == PingFrameType && (header[4] & AckFlag) == 0)
            {
                Interlocked.Increment(ref _clientPings);
            }
            await upstream.WriteAsync(header, _stop.Token);
            await upstream.WriteAsync(payload, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }
        await _acceptLoop;
        _stop.Dispose();
    }
}
