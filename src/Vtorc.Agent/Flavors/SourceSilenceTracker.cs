namespace Vtorc.Agent.Flavors;

/// <summary>
/// Measures FullStatus.source_silence_seconds: how long the replica has received nothing from its source. MariaDB
/// 10.11 reports no time of the last heartbeat, so the agent compares what the replica has received (a marker made of
/// the received-heartbeat count and the received positions, <see cref="IReplicationFlavor.SourceContactMarker"/>)
/// between samples on its own monotonic clock. The answer is a lower bound: silence is counted from the first
/// sample that showed the current marker, so a pause of the agent between samples can only shorten it. Pure: the
/// caller passes the time. Thread-safe.
/// </summary>
internal sealed class SourceSilenceTracker
{
    private readonly Lock _gate = new();
    private (string Marker, TimeSpan Since)? _last;

    /// <summary>
    /// Feeds one sample taken at <paramref name="now"/> (monotonic); returns the silence, or null when there is
    /// nothing to measure (no marker: not a replica, IO thread not running, or the flavor cannot tell).
    /// </summary>
    public TimeSpan? Observe(string? marker, TimeSpan now)
    {
        lock (_gate)
        {
            if (marker is null)
            {
                _last = null;
                return null;
            }
            if (_last is not { } last || !string.Equals(last.Marker, marker, StringComparison.Ordinal))
            {
                _last = (marker, now);
                return TimeSpan.Zero;
            }
            return now >= last.Since ? now - last.Since : TimeSpan.Zero;
        }
    }
}
