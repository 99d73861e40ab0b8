namespace Vtorc.Reparent.Operations;

/// <summary>
/// A finished reparent. <see cref="ReplicasSettled"/> completes when every replica call started by the final
/// repointing has ended: ERS returns as soon as one replica follows the new primary (as Vitess does), so the
/// others may still be finishing; their events keep arriving through the progress callback. It never faults.
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
