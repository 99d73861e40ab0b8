using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery.Actions;
using Vtorc.Reparent.Durability;
using Vtorc.Reparent.Operations;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>The recovery function implementation for each <see cref="RecoveryFunction"/>.</summary>
public sealed class RecoveryActions
{
    private readonly Dictionary<RecoveryFunction, IRecoveryAction> _byFunction = [];

    /// <exception cref="ArgumentException">Two actions implement the same function, or one claims <see cref="RecoveryFunction.None"/>.</exception>
    public RecoveryActions(IEnumerable<IRecoveryAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (var action in actions)
        {
            ArgumentNullException.ThrowIfNull(action, nameof(actions));
            if (action.Function == RecoveryFunction.None)
            {
                throw new ArgumentException($"{action.GetType().Name} claims no recovery function", nameof(actions));
            }
            if (!_byFunction.TryAdd(action.Function, action))
            {
                throw new ArgumentException($"two actions implement {action.Function}: {_byFunction[action.Function].GetType().Name} and {action.GetType().Name}",
                    nameof(actions));
            }
        }
    }

    /// <summary>Every recovery function of go/vt/vtorc/logic/topology_recovery.go, performing RPCs through
    /// <paramref name="tablets"/>.</summary>
    public static RecoveryActions CreateDefault(TopoServer topo, ITabletManagerClient tablets, DurabilityPolicyRegistry durability, TimeProvider time)
    {
        var ers = new EmergencyReparentShard(topo, tablets, durability, time);
        var prs = new PlannedReparentShard(topo, tablets, durability, time);
        return new RecoveryActions(
        [
            new RecoverDeadPrimaryAction(ers),
            new RecoverPrimaryTabletDeletedAction(ers),
            new RecoverPrimaryBehindReplicaAction(ers),
            new RecoverIncapacitatedPrimaryAction(prs, ers, tablets),
            new ElectNewPrimaryAction(prs),
            new RecoverPrimaryHasPrimaryAction(tablets),
            new FixPrimaryAction(tablets),
            new FixReplicaAction(tablets),
            new DemoteStaleTopoPrimaryAction(tablets),
            new RecoverErrantGtidDetectedAction(tablets),
            new RestartArbitraryDirectReplicaAction(tablets, time),
            new RestartAllDirectReplicasAction(tablets, time),
            new NoOpRecoveryAction(RecoveryFunction.CheckAndRecoverLockedSemiSyncPrimary),
            new NoOpRecoveryAction(RecoveryFunction.CheckAndRecoverGenericProblem),
        ]);
    }

    public bool TryGet(RecoveryFunction function, out IRecoveryAction? action) => _byFunction.TryGetValue(function, out action);
}
