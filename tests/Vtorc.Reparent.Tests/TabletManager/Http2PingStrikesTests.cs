namespace Vtorc.Reparent.Tests.TabletManager;

/// <summary>The strike rule the enforcing proxy plays (grpc-go internal/transport/http2_server.go, handlePing), with given times.</summary>
public sealed class Http2PingStrikesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pings_a_second_apart_on_an_open_stream_strike_from_the_second_and_the_fourth_asks_for_GOAWAY()
    {
        var strikes = new Http2PingStrikes(Http2PingEnforcementPolicy.VttabletDefaults);

        var goAway = Enumerable.Range(0, 4).Select(i => strikes.ClientPinged(Start.AddSeconds(i), openStreams: 1)).ToList();

        Assert.Equal([false, false, false, true], goAway);
        Assert.Equal(3, strikes.Strikes);
    }

    [Fact]
    public void Pings_min_time_apart_on_an_open_stream_never_strike()
    {
        var strikes = new Http2PingStrikes(Http2PingEnforcementPolicy.VttabletDefaults);

        var goAway = Enumerable.Range(0, 20).Select(i => strikes.ClientPinged(Start.AddSeconds(10 * i), openStreams: 1)).ToList();

        Assert.All(goAway, Assert.False);
        Assert.Equal(0, strikes.Strikes);
    }

    [Fact]
    public void Without_a_stream_pings_an_hour_apart_strike_unless_the_policy_permits_them()
    {
        var strict = new Http2PingStrikes(Http2PingEnforcementPolicy.VttabletDefaults);
        var permissive = new Http2PingStrikes(Http2PingEnforcementPolicy.VttabletDefaults with { PermitWithoutStream = true });

        var strictGoAway = Enumerable.Range(0, 4).Select(i => strict.ClientPinged(Start.AddHours(i), openStreams: 0)).ToList();
        var permissiveGoAway = Enumerable.Range(0, 4).Select(i => permissive.ClientPinged(Start.AddHours(i), openStreams: 0)).ToList();

        Assert.Equal([false, false, false, true], strictGoAway);
        Assert.All(permissiveGoAway, Assert.False);
    }

    [Fact]
    public void A_ping_after_the_server_wrote_headers_or_data_is_forgiven_and_clears_the_strikes()
    {
        var strikes = new Http2PingStrikes(Http2PingEnforcementPolicy.VttabletDefaults);
        strikes.ClientPinged(Start, openStreams: 1);
        strikes.ClientPinged(Start.AddSeconds(1), openStreams: 1);
        strikes.ClientPinged(Start.AddSeconds(2), openStreams: 1);
        Assert.Equal(2, strikes.Strikes);

        strikes.ServerWroteHeadersOrData();

        Assert.False(strikes.ClientPinged(Start.AddSeconds(3), openStreams: 1));
        Assert.Equal(0, strikes.Strikes);
        // The forgiven ping still counts as the previous one.
        Assert.False(strikes.ClientPinged(Start.AddSeconds(4), openStreams: 1));
        Assert.Equal(1, strikes.Strikes);
    }
}
