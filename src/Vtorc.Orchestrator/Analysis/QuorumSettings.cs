namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The opt-in PrimaryTabletUnreachableByQuorum detection (Vitess main, go/vt/vtorc/inst/shard_peer_health.go) and its
/// flags: <c>--emergency-reparent-on-primary-tablet-unreachable</c> and the four <c>--shard-tablet-health-*</c>
/// thresholds, with Vitess's defaults.
/// </summary>
public sealed record QuorumSettings
{
    public static QuorumSettings Default { get; } = new();

    /// <summary><c>--emergency-reparent-on-primary-tablet-unreachable</c> (default off).</summary>
    public bool Enabled { get; init; }

    /// <summary><c>--shard-tablet-health-failure-threshold</c>: consecutive failed Pings for a "down" vote.</summary>
    public long FailureThreshold { get; init; } = 3;

    /// <summary><c>--shard-tablet-health-freshness</c>: the oldest report (and Ping attempt) that still votes.</summary>
    public TimeSpan Freshness { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>--shard-tablet-health-quorum-fraction</c>: the share of fresh voters that must say "down".</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary><c>--shard-tablet-health-quorum-min-observers</c>: fresh voters needed at least.</summary>
    public int MinObservers { get; init; } = 1;

    /// <summary>Why these values cannot decide anything (Vitess then never answers "down"); null when usable.</summary>
    public string? Problem =>
        FailureThreshold < 1 ? "--shard-tablet-health-failure-threshold must be at least 1"
        : Freshness <= TimeSpan.Zero ? "--shard-tablet-health-freshness must be positive"
        : !(Fraction > 0 && Fraction <= 1) ? "--shard-tablet-health-quorum-fraction must be above 0 and at most 1"
        : MinObservers < 1 ? "--shard-tablet-health-quorum-min-observers must be at least 1"
        : null;
}
