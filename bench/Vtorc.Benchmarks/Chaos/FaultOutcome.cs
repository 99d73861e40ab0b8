namespace Vtorc.Benchmarks.Chaos;

/// <summary>One injected fault and what followed it (until the next fault of the run, or its end).</summary>
internal sealed record FaultOutcome(FaultKind Kind, string What)
{
    /// <summary>The shard was healthy again within the bound after the fault was healed.</summary>
    public bool Recovered { get; set; }

    /// <summary>The primary after healing differs from the one before the fault.</summary>
    public bool PrimaryChanged { get; set; }

    public double TwoWritableMs { get; set; }

    /// <summary>Acknowledged rows written while this fault was current that the final primary lacks.</summary>
    public int LostAckedRows { get; set; }

    /// <summary>Commits completed without a replica's semi-sync acknowledgement while this fault was current (MariaDB's
    /// <c>Rpl_semi_sync_master_no_tx</c>; includes waiters a fence killed, whose clients were never told "committed").</summary>
    public long UnacknowledgedCommits { get; set; }

    /// <summary>Time a server was writable without waiting for semi-sync acknowledgements (<see cref="SemiSyncWaitSampler"/>).</summary>
    public double AsyncWritableMs { get; set; }
}
