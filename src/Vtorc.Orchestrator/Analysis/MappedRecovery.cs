namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// The entry of <see cref="RecoveryMapping"/> for an analysis code: the recovery function the pipeline runs for it
/// (go/vt/vtorc/logic/topology_recovery.go). The function itself is performed by an <c>IRecoveryAction</c>.
/// </summary>
/// <param name="Function">The recovery function; <see cref="RecoveryFunction.None"/> means "NoRecoveryAction".</param>
/// <param name="IsActionable">The recovery acts (or at least marks the problem as handled).</param>
/// <param name="IsShardWide">The recovery changes the whole shard (ERS/PRS).</param>
/// <param name="Gate">The switch that must be on for it to run.</param>
internal sealed record MappedRecovery(RecoveryFunction Function, bool IsActionable, bool IsShardWide, RecoveryGate Gate)
{
    /// <summary>The metric/audit name of the function; empty for none.</summary>
    public string FunctionName => Function == RecoveryFunction.None ? "" : Function.ToString();

    /// <summary>Two analyses "have the same recovery" when function and gate agree (checkIfAlreadyFixed).</summary>
    public bool IsSameRecoveryAs(MappedRecovery other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Function == other.Function && Gate == other.Gate;
    }
}
