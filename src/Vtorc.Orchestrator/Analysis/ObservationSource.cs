namespace Vtorc.Orchestrator.Analysis;

/// <summary>Where the value of an observation field comes from (<see cref="InstanceObservation.Fields"/>).</summary>
internal enum ObservationSource
{
    /// <summary>The tablet's <c>FullStatus</c> answer, read by the field's FullStatus reader.</summary>
    FullStatus,

    /// <summary>The tablet record the poll was made for (alias, cell, MySQL host and port).</summary>
    TabletRecord,

    /// <summary>The shard's other observations, after the poll (<see cref="ErrantGtidDetector"/>).</summary>
    Shard,

    /// <summary>The poll's own bookkeeping: its times and outcome, and the primary health window kept across polls.</summary>
    Poll,
}
