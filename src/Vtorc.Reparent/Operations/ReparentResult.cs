namespace Vtorc.Reparent.Operations;

/// <summary>
/// A finished reparent. <see cref="ReplicasSettled"/> is complete when the operation returns: every replica call
/// started by the final repointing has ended or was cancelled at the settle bound before the lock was released
/// (docs/reliability.md, "The shard lock is released once the reparent is decided"). Kept for callers written when
/// ERS returned with repoints still running. It never faults.
/// </summary>
/// <param name="WasNoOp">PRS was asked to avoid a tablet that is not the primary: nothing was done.</param>
public sealed record ReparentResult(
    string Keyspace,
    string Shard,
    string NewPrimary,
    string? PreviousPrimary,
    IReadOnlyList<ReparentEvent> Events,
    bool WasNoOp,
    Task ReplicasSettled);
