namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// How <see cref="TopologyWatcher"/> keeps its etcd watches (docs/architecture.md, "How topology reaches the daemon").
/// </summary>
public sealed record TopologyWatchSettings
{
    /// <summary><c>--watch-topology</c>: watch keyspace, shard and tablet records; false leaves only the periodic refresh.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>After this long without anything from etcd on a watch stream, the watcher asks for a progress notice.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A stream silent this long (no change, no answer to the progress requests) counts as dead: it is dropped and
    /// re-opened, on the next endpoint if its own does not answer, from the last revision applied.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before re-opening a failed watch; doubled after each further failure.</summary>
    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between attempts to re-open a failed watch.</summary>
    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        if (ProgressInterval <= TimeSpan.Zero || StallTimeout <= ProgressInterval)
        {
            throw new ArgumentException(
                $"the topology watch needs 0 < progress interval ({ProgressInterval}) < stall timeout ({StallTimeout}).");
        }
        if (ReconnectBackoffMin <= TimeSpan.Zero || ReconnectBackoffMax < ReconnectBackoffMin)
        {
            throw new ArgumentException(
                $"the topology watch needs 0 < reconnect backoff min ({ReconnectBackoffMin}) <= max ({ReconnectBackoffMax}).");
        }
    }
}
