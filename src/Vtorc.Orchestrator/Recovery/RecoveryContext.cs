using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// What a recovery function works from: the analysis as re-validated under the lock, the fresh snapshot it came
/// from, the held shard lock (ERS/PRS reuse it), the settings, and where its steps go.
/// </summary>
public sealed class RecoveryContext
{
    private readonly RecoveryStepRecorder _steps;

    internal RecoveryContext(DetectionAnalysis analysis, ShardSnapshot snapshot, LockHandle shardLock, long recoveryId, RecoverySettings settings,
        RecoveryStepRecorder steps)
    {
        Analysis = analysis;
        Snapshot = snapshot;
        ShardLock = shardLock;
        RecoveryId = recoveryId;
        Settings = settings;
        _steps = steps;
    }

    public DetectionAnalysis Analysis { get; }

    public ShardSnapshot Snapshot { get; }

    public LockHandle ShardLock { get; }

    public long RecoveryId { get; }

    public RecoverySettings Settings { get; }

    public string Keyspace => Analysis.AnalyzedKeyspace;

    public string Shard => Analysis.AnalyzedShard;

    /// <summary>ERS/PRS events become recovery steps through this.</summary>
    public IProgress<ReparentEvent> ReparentProgress => _steps;

    /// <summary>The analysed tablet's record in <see cref="Snapshot"/>.</summary>
    /// <exception cref="RecoveryException">The tablet is no longer in the shard.</exception>
    public TabletRecord AnalyzedTablet =>
        Snapshot.Tablets.FirstOrDefault(t => t.Alias == Analysis.AnalyzedInstanceAlias)
        ?? throw new RecoveryException($"tablet {Analysis.AnalyzedInstanceAlias} is no longer in shard {Keyspace}/{Shard}");

    /// <exception cref="RecoveryException">The keyspace has no usable durability policy.</exception>
    public DurabilityPolicy Durability =>
        Snapshot.Durability ?? throw new RecoveryException(Snapshot.DurabilityProblem ?? $"keyspace {Keyspace} has no durability policy");

    /// <summary>Adds a recovery step (<c>topology_recovery_steps</c>).</summary>
    public void AddStep(string message) => _steps.Add(message);
}
