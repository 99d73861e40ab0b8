namespace Vtorc.Reparent.Operations;

/// <summary>
/// The end of a reparent, once it is decided (new primary promoted, journal written, the acknowledging replicas
/// attached): the other replicas' repoints get a bounded time to finish, and those still running are cancelled and
/// awaited before the operation returns. A reparent therefore never leaves a repoint in flight behind the shard lock:
/// one landing after another reparent took the lock could point a replica back at a primary that is no longer the
/// shard's and discard the relay log it acknowledged writes from (docs/reliability.md, "The shard lock is released
/// once the reparent is decided"). A replica left out is not followed up here: the orchestrator's replica repairs
/// (FixReplica) repoint it later, each under the lock.
/// </summary>
internal static class ReplicaSettle
{
    public static async Task BoundAsync(IReadOnlyCollection<Task> calls, Task all, CancellationTokenSource cancel, TimeSpan bound, string newPrimary,
        ReparentEventLog events, TimeProvider time)
    {
        if (!all.IsCompleted)
        {
            using var stopWaiting = new CancellationTokenSource();
            var expired = Task.Delay(bound, time, stopWaiting.Token);
            await Task.WhenAny(all, expired).ConfigureAwait(false);
            await stopWaiting.CancelAsync().ConfigureAwait(false);
            if (!all.IsCompleted)
            {
                int running = calls.Count(c => !c.IsCompleted);
                events.Emit(ReparentPhase.ReparentReplicas, ReparentEventKind.Warning,
                    $"{running} replica repoint(s) to {newPrimary} still running {bound.TotalSeconds:0.###} s after the reparent was decided: " +
                    "cancelled so that none lands after the shard lock is released; replica repairs take them over", newPrimary);
                await cancel.CancelAsync().ConfigureAwait(false);
            }
        }
        try
        {
            await all.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Each call reports its own outcome (cancelled ones included) through the events.
        }
    }
}
