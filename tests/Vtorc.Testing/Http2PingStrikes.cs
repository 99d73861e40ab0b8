namespace Vtorc.Testing;

/// <summary>
/// One connection's ping strikes, judged as grpc-go's server judges them (<c>handlePing</c> in
/// internal/transport/http2_server.go):
/// <list type="bullet">
/// <item>A PING that arrives after the server wrote HEADERS or DATA since the previous PING is not judged, and clears the strikes.</item>
/// <item>Otherwise, with streams open (or when pings without streams are permitted), a PING sooner than the policy's
/// min time after the previous one is a strike; with no stream open and pings without streams not permitted, a PING
/// sooner than 2 hours after the previous one is a strike. The first PING of a connection is never a strike.</item>
/// <item>More than 2 strikes: the server sends GOAWAY ENHANCE_YOUR_CALM "too_many_pings" and closes the connection.</item>
/// </list>
/// Every PING, judged or not, becomes the "previous one". Times are the caller's, so the rule can be tested without a clock.
/// </summary>
public sealed class Http2PingStrikes(Http2PingEnforcementPolicy policy)
{
    /// <summary>grpc-go's <c>maxPingStrikes</c>.</summary>
    public const int MaxStrikes = 2;

    /// <summary>grpc-go's <c>defaultPingTimeout</c>: how far apart pings must be on a connection without streams.</summary>
    public static readonly TimeSpan WithoutStreamInterval = TimeSpan.FromHours(2);

    private DateTimeOffset? _lastPingAt;
    private bool _serverWroteSinceLastPing;

    public int Strikes { get; private set; }

    /// <summary>The server wrote HEADERS or DATA (of any stream): the next PING is forgiven.</summary>
    public void ServerWroteHeadersOrData() => _serverWroteSinceLastPing = true;

    /// <summary>Judges a client PING (not an ACK); true when the server must now go away.</summary>
    public bool ClientPinged(DateTimeOffset now, int openStreams)
    {
        var last = _lastPingAt;
        _lastPingAt = now;
        if (_serverWroteSinceLastPing)
        {
            _serverWroteSinceLastPing = false;
            Strikes = 0;
            return false;
        }
        var interval = openStreams < 1 && !policy.PermitWithoutStream ? WithoutStreamInterval : policy.MinTime;
        if (last is { } previous && now - previous < interval)
        {
            Strikes++;
        }
        return Strikes > MaxStrikes;
    }
}
