using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// Pipeline step 2 (docs/operation-steps.md), pure: the recovery an analysis maps to and, when its switch is off, why
/// it is skipped. Two decisions are "the same recovery" when function and skip reason agree (checkIfAlreadyFixed in
/// go/vt/vtorc/logic/topology_recovery.go).
/// </summary>
internal sealed record RecoveryDecision(MappedRecovery Recovery, RecoverySkipReason? SkipReason)
{
    public RecoveryFunction Function => Recovery.Function;

    public string RecoveryName => Recovery.Function == RecoveryFunction.None ? "NoRecovery" : Recovery.FunctionName;

    public bool IsShardWide => Recovery.IsShardWide;

    public static RecoveryDecision For(DetectionAnalysis analysis, RecoverySettings settings)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(settings);
        var mapped = RecoveryMapping.For(analysis.Analysis);
        RecoverySkipReason? skip = null;
        if (mapped.Function == RecoveryFunction.None)
        {
            skip = RecoverySkipReason.NoRecoveryAction;
        }
        else if (mapped.Gate == RecoveryGate.EmergencyReparentEnabled && !IsEmergencyReparentAllowed(analysis, settings))
        {
            skip = RecoverySkipReason.EmergencyReparentShardDisabled;
        }
        else if (mapped.Gate == RecoveryGate.ChangeTabletsWithErrantGtidToDrained && !settings.ChangeTabletsWithErrantGtidToDrained)
        {
            skip = RecoverySkipReason.NoRecoveryAction;
        }
        return new RecoveryDecision(mapped, skip);
    }

    /// <summary>As go/vt/vtorc/logic/disable_recovery.go and the vtorc_state records decide: the global flag, then the
    /// keyspace's vtorc_state, then the shard's.</summary>
    public static bool IsEmergencyReparentAllowed(DetectionAnalysis analysis, RecoverySettings settings) =>
        settings.AllowEmergencyReparent && !analysis.AnalyzedKeyspaceEmergencyReparentDisabled && !analysis.AnalyzedShardEmergencyReparentDisabled;

    public bool IsSameRecoveryAs(RecoveryDecision other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Recovery.Function == other.Recovery.Function && SkipReason == other.SkipReason;
    }

    /// <summary>Why the ERS switch is off, in the words the pipeline logs.</summary>
    public static string DescribeEmergencyReparentSwitch(DetectionAnalysis analysis, RecoverySettings settings)
    {
        if (!settings.AllowEmergencyReparent)
        {
            return "--allow-emergency-reparent is false";
        }
        if (analysis.AnalyzedKeyspaceEmergencyReparentDisabled)
        {
            return $"emergency reparent is disabled for keyspace {analysis.AnalyzedKeyspace}";
        }
        return $"emergency reparent is disabled for shard {analysis.AnalyzedKeyspace}/{analysis.AnalyzedShard}";
    }
}
