namespace Vtorc.Orchestrator.Analysis;

/// <summary>The flags the analysis reads. Durations count in whole seconds, truncated, as VTOrc's SQL did.</summary>
public sealed record AnalysisSettings
{
    public static AnalysisSettings Default { get; } = new();

    /// <summary><c>--instance-poll-time</c> (default 5 s): how long a poll may hang before the check counts as invalid.</summary>
    public TimeSpan InstancePollTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--reasonable-replication-lag</c> (default 10 s): a replica lagging more counts as lagging.</summary>
    public TimeSpan ReasonableReplicationLag { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far back a primary's poll outcomes count for IncapacitatedPrimary: <see cref="PrimaryHealthWindow.RemoteOperationTimeouts"/>
    /// × <c>--remote-operation-timeout</c> (75 s by default).
    /// </summary>
    public TimeSpan PrimaryHealthWindow { get; init; } = Analysis.PrimaryHealthWindow.LengthFor(TimeSpan.FromSeconds(15));

    /// <summary>
    /// How long after a tablet's discovery its shard's analysis waits for the tablet's first poll to end (ours, not
    /// VTOrc's; docs/vitess-compatibility.md): <c>--instance-poll-time</c> + <c>--remote-operation-timeout</c>, a poll's
    /// wait in the queue and its deadline. Past it the shard is analysed as VTOrc would, the tablet counted as never reached.
    /// </summary>
    public TimeSpan FirstPollWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The opt-in PrimaryTabletUnreachableByQuorum detection (off by default, as in Vitess).</summary>
    public QuorumSettings Quorum { get; init; } = QuorumSettings.Default;

    public long InstancePollSeconds => WholeSeconds.Of(InstancePollTime);

    public long ReasonableReplicationLagSeconds => WholeSeconds.Of(ReasonableReplicationLag);
}
