namespace Vtorc.LocalCluster;

/// <summary>How a <see cref="LedgerWriter"/> paces its inserts and numbers its rows.</summary>
public sealed record LedgerWriterOptions
{
    /// <summary>The id of the first row; each attempt takes the next one, acknowledged or not.</summary>
    public long FirstId { get; init; } = 1;

    /// <summary>
    /// Bound on one attempt, connecting included. An insert still unanswered then (e.g. a commit waiting for semi-sync
    /// acknowledgements) is abandoned and not acknowledged. The connection options' own timeouts apply as well.
    /// </summary>
    public TimeSpan AttemptDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause after an acknowledged insert (zero: write as fast as the server answers).</summary>
    public TimeSpan PauseAfterAcknowledgement { get; init; } = TimeSpan.Zero;

    /// <summary>Pause after a failed attempt: spares a loaded machine retries against a server that refuses at once (read-only).</summary>
    public TimeSpan PauseAfterFailure { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Read just before each INSERT is sent and kept with its acknowledgement (<see cref="LedgerEntry.Phase"/>); e.g. the chaos suite's current fault. Null: phase 0.</summary>
    public Func<int>? CurrentPhase { get; init; }
}
