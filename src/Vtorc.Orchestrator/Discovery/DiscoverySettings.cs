namespace Vtorc.Orchestrator.Discovery;

/// <summary>The discovery flags (go/vt/vtorc/config/config.go) with VTOrc's defaults.</summary>
public sealed record DiscoverySettings
{
    /// <summary><c>--instance-poll-time</c>: how often each tablet gets a FullStatus.</summary>
    public TimeSpan InstancePollTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--remote-operation-timeout</c>: deadline of each FullStatus and of each cell's tablet list.</summary>
    public TimeSpan RemoteOperationTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>--discovery-workers</c>: concurrent polls.</summary>
    public int DiscoveryWorkers { get; init; } = 300;

    /// <summary><c>--topo-information-refresh-duration</c>.</summary>
    public TimeSpan TopoInformationRefreshDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>--cells-to-watch</c> (Vitess v24.0.0 and main, go/vt/vtorc/logic/tablet_discovery.go): only these cells' tablets
    /// are discovered; empty = every cell. A listed cell missing from the topology fails the tablet refresh.
    /// </summary>
    public IReadOnlyList<string> CellsToWatch { get; init; } = [];

    /// <summary>The cells to read among <paramref name="known"/>, or the listed cells that do not exist.</summary>
    public (IReadOnlyList<string> Cells, IReadOnlyList<string> Missing) SelectCells(IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (CellsToWatch.Count == 0)
        {
            return (known, []);
        }
        return ([.. CellsToWatch.Where(known.Contains)], [.. CellsToWatch.Where(c => !known.Contains(c))]);
    }

    /// <summary>
    /// <c>--enable-primary-disk-stalled-recovery</c>: a FullStatus reporting <c>disk_stalled</c> counts as a failed poll
    /// that marks the tablet's disk stalled (go/vt/vtorc/inst/instance_dao.go), which makes a stalled primary
    /// PrimaryDiskStalled. Off: such a FullStatus is stored like any other answer, as VTOrc does.
    /// </summary>
    public bool EnablePrimaryDiskStalledRecovery { get; init; }

    /// <summary>After this long a poll still running marks <c>last_attempted_check</c> (fixed 1 s in VTOrc).</summary>
    public TimeSpan HangingPollWatchdog { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often tablets due for a poll are queued. VTOrc uses a fixed 1 s, which lets a 1 s poll drift to nearly 2 s
    /// (a tablet polled just after a tick is not yet due at the next one); a quarter second keeps the poll period
    /// close to --instance-poll-time (see <see cref="PollDueEarliness"/>), and detection is what makes a failover slow. The scan is cheap.
    /// </summary>
    public TimeSpan HealthTick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How much sooner than <see cref="InstancePollTime"/> after its last check a tablet counts as due: half a
    /// <see cref="HealthTick"/> (at most half the poll time). Due tablets are only seen at ticks, so a tablet becomes
    /// due on average half a tick before the tick that queues it; starting the due time half a tick early makes the
    /// average poll period the poll time itself instead of poll time + half a tick (before this rule a 1 s poll ran every
    /// ~1.25 s). VTOrc's rule (ReadOutdatedInstances in go/vt/vtorc/inst/instance_dao.go) has no such allowance; see
    /// docs/vitess-compatibility.md.
    /// </summary>
    public TimeSpan PollDueEarliness => TimeSpan.FromTicks(Math.Min(HealthTick.Ticks, InstancePollTime.Ticks) / 2);

    /// <summary>The age of a successful last check at which a tablet is due again (poll time − <see cref="PollDueEarliness"/>).</summary>
    public TimeSpan PollDueAge => InstancePollTime - PollDueEarliness;

    /// <summary>How long a forgotten alias is not polled: 3 × <see cref="InstancePollTime"/>.</summary>
    public TimeSpan ForgetTtl => 3 * InstancePollTime;

    /// <exception cref="ArgumentException">A value is out of range; the message names the flag and the value.</exception>
    public void Validate()
    {
        Positive(InstancePollTime, "--instance-poll-time");
        Positive(RemoteOperationTimeout, "--remote-operation-timeout");
        Positive(TopoInformationRefreshDuration, "--topo-information-refresh-duration");
        Positive(HangingPollWatchdog, nameof(HangingPollWatchdog));
        Positive(HealthTick, nameof(HealthTick));
        if (DiscoveryWorkers < 1)
        {
            throw new ArgumentException($"--discovery-workers must be at least 1 (got {DiscoveryWorkers}).");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive (got \"{value}\").");
        }
    }
}
