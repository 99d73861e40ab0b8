namespace Vtorc.Benchmarks.Chaos;

/// <summary>What one chaos run found after every fault was healed.</summary>
internal sealed record RunResult(int Run, IReadOnlyList<FaultOutcome> Faults)
{
    public int AcknowledgedRows { get; init; }

    public int LostAckedRows { get; init; }

    public double TwoWritableMs { get; init; }

    /// <summary>1 when the shard had no healthy primary at the end (within the bound), else 0.</summary>
    public int UnhealedShards { get; init; }

    public int DivergedServers { get; init; }

    /// <summary>Commits completed without a replica's semi-sync acknowledgement (<see cref="SemiSyncFallbacks"/>); reported, not
    /// judged: the counter cannot tell an acknowledged commit from a killed waiter's.</summary>
    public long UnacknowledgedCommits { get; init; }

    /// <summary>Time a server was writable without waiting for semi-sync acknowledgements (<see cref="SemiSyncWaitSampler"/>).</summary>
    public double AsyncWritableMs { get; init; }

    /// <summary>Why the run could not be completed (set-up failed, a step timed out); null when it completed.</summary>
    public string? Error { get; init; }

    public IReadOnlyList<string> Details { get; init; } = [];
}
