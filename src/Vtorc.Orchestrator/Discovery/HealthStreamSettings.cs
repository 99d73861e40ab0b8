namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// How the daemon listens to tablets' health streams (docs/reliability.md, "Push detection"): <c>--tablet-health-stream</c>
/// and <c>--tablet-health-stream-timeout</c>, plus the fixed reconnect policy.
/// </summary>
public sealed record HealthStreamSettings
{
    /// <summary><c>--tablet-health-stream</c>: subscribe to every watched tablet's StreamHealth (false: polling alone).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// <c>--tablet-health-stream-timeout</c>: how long a stream whose tablet announced a heartbeat interval (our agent)
    /// may stay silent before it counts as broken; at least twice the announced interval is always allowed. Streams
    /// without an announced interval (vttablet) are never timed out on silence.
    /// </summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a new stream may take to deliver its first message (both our agent and vttablet send one at
    /// once); covers a connection attempt to a host that drops packets.</summary>
    public TimeSpan FirstMessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before reconnecting a stream that ended; doubled after each failed attempt.</summary>
    public TimeSpan ReconnectMinimum { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between reconnect attempts.</summary>
    public TimeSpan ReconnectMaximum { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait before asking again a tablet that answered UNIMPLEMENTED (serves no health stream).</summary>
    public TimeSpan UnimplementedRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often every stream's silence is checked: a silence counts up to this much later than its deadline.</summary>
    public TimeSpan SilenceSweepInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the set of subscriptions is matched against the watched tablets.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Silent streams within <see cref="SilenceBurstWindow"/> that count as a burst (<see cref="SilentStreamBurst"/>): at least
    /// <see cref="SilenceBurstMinimum"/> and at least <see cref="SilenceBurstFraction"/> of the subscriptions. A pause of the
    /// daemon as long as the silence timeout silences every stream within about one timeout, hence the window.
    /// </summary>
    public TimeSpan SilenceBurstWindow => SilenceTimeout;

    /// <inheritdoc cref="SilenceBurstWindow"/>
    public int SilenceBurstMinimum { get; init; } = 8;

    /// <inheritdoc cref="SilenceBurstWindow"/>
    public double SilenceBurstFraction { get; init; } = 0.01;

    /// <summary>Looks at tablets (polls of a shard) prompted by their streams that may run at once; more wait their turn.</summary>
    public int MaxConcurrentLooks { get; init; } = 64;

    /// <summary>Within a burst of silent streams, reconnects are spread uniformly over up to this long.</summary>
    public TimeSpan SilenceBurstReconnectSpread { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The silence after which a stream counts as broken, given the interval its tablet announced (zero: none).</summary>
    public TimeSpan SilenceDeadline(TimeSpan announcedInterval) =>
        announcedInterval <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(SilenceTimeout.Ticks, 2 * announcedInterval.Ticks));

    /// <exception cref="ArgumentException">A value is out of range; the message names the flag.</exception>
    public void Validate()
    {
        if (SilenceTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--tablet-health-stream-timeout must be positive (got \"{SilenceTimeout}\").");
        }
        if (FirstMessageTimeout <= TimeSpan.Zero || ReconnectMinimum <= TimeSpan.Zero || ReconnectMaximum < ReconnectMinimum
            || UnimplementedRetry <= TimeSpan.Zero || ReconcileInterval <= TimeSpan.Zero || SilenceSweepInterval <= TimeSpan.Zero || SilenceBurstMinimum < 1 || MaxConcurrentLooks < 1
            || !(SilenceBurstFraction >= 0 && SilenceBurstFraction <= 1))
        {
            throw new ArgumentException("the health stream's first-message timeout, reconnect waits and reconcile interval must be positive " +
                "(and the longest reconnect wait at least the first); a loss burst needs at least one loss and a fraction within [0, 1].");
        }
    }
}
