using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// The first wait of shutdown (closeVTOrc in go/vt/vtorc/logic/vtorc.go): until the shard locks held by running
/// recoveries are released, at most <c>--shutdown-wait-time</c>, so a recovery in progress can finish before the
/// loops stop.
/// </summary>
/// <param name="logger">The daemon's logger: the lines keep the category operators filter on.</param>
internal sealed class ShardLockDrain(RecoveryPipeline pipeline, TimeProvider time, ILogger logger)
{
    // VTOrc polls the lock count every 50 ms too; the count has no event to wait on.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task WaitAsync(TimeSpan wait)
    {
        if (pipeline.ShardLocksHeld == 0)
        {
            return;
        }
        logger.ShutdownWaitingForShardLocks(wait, pipeline.ShardLocksHeld);
        var deadline = time.GetUtcNow() + wait;
        while (pipeline.ShardLocksHeld > 0)
        {
            if (time.GetUtcNow() >= deadline)
            {
                logger.ShutdownShardLocksStillHeld(pipeline.ShardLocksHeld, wait);
                return;
            }
            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }
        logger.ShutdownShardLocksReleased();
    }
}
