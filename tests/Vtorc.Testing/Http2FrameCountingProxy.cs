using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vtorc.Testing;

/// <summary>
/// A loopback TCP relay in front of an h2c server that parses the HTTP/2 frames passing both ways, to count the PING
/// frames the client sends (gRPC clients towards tablets and etcd must send none). Bytes are forwarded unchanged.
/// <para>
/// Given an <see cref="Http2PingEnforcementPolicy"/>, it also plays a Go gRPC server's keepalive enforcement in front of a
/// server that has none (grpc-dotnet's): each connection's client PINGs are judged by <see cref="Http2PingStrikes"/>,
/// and on too many strikes the proxy sends the client GOAWAY ENHANCE_YOUR_CALM "too_many_pings" and closes both sides,
/// as a vttablet does. Open streams are approximated from the frames: a client HEADERS frame opens its stream; the
/// server's HEADERS or DATA with END_STREAM (the trailers) or a RST_STREAM from either side closes it. A client's own
/// END_STREAM only half-closes, as in grpc-go, where the stream stays active until the server finishes it.
/// </para>
/// </summary>
public sealed class Http2FrameCountingProxy : IAsyncDisposable
{
    private const int FrameHeaderLength = 9;
    private const byte DataFrameType = 0x0;
    private const byte HeadersFrameType = 0x1;
    private const byte RstStreamFrameType = 0x3;
    private const byte PingFrameType = 0x6;
    private const byte GoAwayFrameType = 0x7;
    private const byte AckFlag = 0x1;
    private const byte EndStreamFlag = 0x1;
    private const uint EnhanceYourCalm = 0xb;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly Http2PingEnforcementPolicy? _enforcement;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _acceptLoop;
    private int _clientPings;
    private long _clientFrames;
    private int _connectionsAccepted;
    private int _tooManyPingsGoAways;

    /// <summary>A counting relay; with <paramref name="enforcement"/>, one that also cuts off clients that ping too often.</summary>
    public Http2FrameCountingProxy(int upstreamPort, Http2PingEnforcementPolicy? enforcement = null, TimeProvider? time = null)
    {
        _upstreamPort = upstreamPort;
        _enforcement = enforcement;
        _time = time ?? TimeProvider.System;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>PING frames without ACK sent by the client (pings it initiated).</summary>
    public int ClientPings => Volatile.Read(ref _clientPings);

    public long ClientFrames => Interlocked.Read(ref _clientFrames);

    /// <summary>Client connections accepted since the start.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);

    /// <summary>Connections closed with GOAWAY ENHANCE_YOUR_CALM "too_many_pings" (always 0 without enforcement).</summary>
    public int TooManyPingsGoAways => Volatile.Read(ref _tooManyPingsGoAways);

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connectionsAccepted);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(client);
                    _sockets.Add(upstream);
                }
                var connection = new Connection(client, upstream, _enforcement is { } policy ? new Http2PingStrikes(policy) : null);
                _ = RelayServerFramesAsync(connection).ContinueWith(_ => client.Close(), TaskScheduler.Default);
                _ = RelayClientFramesAsync(connection).ContinueWith(_ => upstream.Close(), TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayClientFramesAsync(Connection connection)
    {
        var client = connection.Client.GetStream();
        var upstream = connection.Upstream.GetStream();
        var preface = new byte[24];
        await client.ReadExactlyAsync(preface, _stop.Token);
        await upstream.WriteAsync(preface, _stop.Token);
        var header = new byte[FrameHeaderLength];
        while (true)
        {
            var payload = await ReadFrameAsync(client, header);
            Interlocked.Increment(ref _clientFrames);
            var type = header[3];
            var streamId = StreamId(header);
            if (type == PingFrameType && (header[4] & AckFlag) == 0)
            {
                Interlocked.Increment(ref _clientPings);
                if (connection.ClientPinged(_time.GetUtcNow()))
                {
                    await GoAwayTooManyPingsAsync(connection);
                    return;
                }
            }
            else if (type == HeadersFrameType)
            {
                connection.Opened(streamId);
            }
            else if (type == RstStreamFrameType)
            {
                connection.Closed(streamId);
            }
            await upstream.WriteAsync(header, _stop.Token);
            await upstream.WriteAsync(payload, _stop.Token);
        }
    }

    private async Task RelayServerFramesAsync(Connection connection)
    {
        var upstream = connection.Upstream.GetStream();
        var header = new byte[FrameHeaderLength];
        while (true)
        {
            var payload = await ReadFrameAsync(upstream, header);
            var type = header[3];
            if (type is HeadersFrameType or DataFrameType)
            {
                connection.ServerWroteHeadersOrData(StreamId(header), (header[4] & EndStreamFlag) != 0);
            }
            else if (type == RstStreamFrameType)
            {
                connection.Closed(StreamId(header));
            }
            await connection.WriteToClientAsync([header, payload], _stop.Token);
        }
    }

    /// <summary>What grpc-go's server does on too many ping strikes: GOAWAY ENHANCE_YOUR_CALM "too_many_pings", then close.</summary>
    private async Task GoAwayTooManyPingsAsync(Connection connection)
    {
        var debugData = Encoding.ASCII.GetBytes("too_many_pings");
        var frame = new byte[FrameHeaderLength + 8 + debugData.Length];
        var length = frame.Length - FrameHeaderLength;
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = GoAwayFrameType;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(FrameHeaderLength), connection.LastClientStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(FrameHeaderLength + 4), EnhanceYourCalm);
        debugData.CopyTo(frame.AsSpan(FrameHeaderLength + 8));
        await connection.WriteToClientAsync([frame], _stop.Token);
        Interlocked.Increment(ref _tooManyPingsGoAways);
        connection.Client.Close();
        connection.Upstream.Close();
    }

    private async Task<byte[]> ReadFrameAsync(NetworkStream from, byte[] header)
    {
        await from.ReadExactlyAsync(header, _stop.Token);
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        var payload = new byte[length];
        await from.ReadExactlyAsync(payload, _stop.Token);
        return payload;
    }

    private static uint StreamId(byte[] header) => BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fff_ffff;

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

    /// <summary>One relayed connection: its sockets, its open streams and its ping strikes (null without enforcement).</summary>
    private sealed class Connection(TcpClient client, TcpClient upstream, Http2PingStrikes? strikes)
    {
        private readonly HashSet<uint> _openStreams = [];
        private readonly SemaphoreSlim _clientWrites = new(1, 1);

        public TcpClient Client { get; } = client;

        public TcpClient Upstream { get; } = upstream;

        public uint LastClientStreamId { get; private set; }

        public void Opened(uint streamId)
        {
            lock (_openStreams)
            {
                // A HEADERS frame on a stream already open is a client's trailers, which gRPC clients do not send.
                if (streamId > LastClientStreamId)
                {
                    LastClientStreamId = streamId;
                    _openStreams.Add(streamId);
                }
            }
        }

        public void Closed(uint streamId)
        {
            lock (_openStreams)
            {
                _openStreams.Remove(streamId);
            }
        }

        public void ServerWroteHeadersOrData(uint streamId, bool endStream)
        {
            lock (_openStreams)
            {
                strikes?.ServerWroteHeadersOrData();
                if (endStream)
                {
                    _openStreams.Remove(streamId);
                }
            }
        }

        /// <summary>Judges a client PING; true when the connection must be closed for too many pings.</summary>
        public bool ClientPinged(DateTimeOffset now)
        {
            lock (_openStreams)
            {
                return strikes?.ClientPinged(now, _openStreams.Count) ?? false;
            }
        }

        /// <summary>Writes whole frames, so the proxy's own GOAWAY never lands inside a frame of the server's.</summary>
        public async Task WriteToClientAsync(IReadOnlyList<byte[]> parts, CancellationToken cancellationToken)
        {
            await _clientWrites.WaitAsync(cancellationToken);
            try
            {
                foreach (var part in parts)
                {
                    await Client.GetStream().WriteAsync(part, cancellationToken);
                }
            }
            finally
            {
                _clientWrites.Release();
            }
        }
    }
}
