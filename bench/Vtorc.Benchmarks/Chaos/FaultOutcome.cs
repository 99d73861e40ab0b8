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

    /// <summary>Commits acknowledged without a replica's semi-sync acknowledgement while this fault was current.</summary>
    public long UnacknowledgedCommits { get; set; }
}
