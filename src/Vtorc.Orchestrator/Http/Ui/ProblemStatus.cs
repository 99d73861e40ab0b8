using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// What the orchestrator is doing about a current problem, or why it is not: a recovery of the shard still running
/// wins; otherwise the latest pipeline outcome for the problem says it (disabled, anti-flapping hold, lock held
/// elsewhere, failed); no outcome yet means the next recovery tick has not reached it. Pure.
/// </summary>
internal static class ProblemStatus
{
    public static (string Status, string Text, DateTimeOffset? At, long RecoveryId) Of(LastRecoveryOutcome? outcome, RecoveryRecord? activeRecovery)
    {
        if (activeRecovery is { } active)
        {
            return ("repairing", $"recovery {active.RecoveryId} ({active.Analysis} on {active.Alias}) is running", active.StartRecovery,
                active.RecoveryId);
        }
        if (outcome is null)
        {
            return ("pending", "detected; no recovery attempt yet", null, 0);
        }
        var execution = outcome.Execution;
        var status = execution.Outcome switch
        {
            RecoveryOutcome.Skipped => SkipStatus(execution.SkipReason),
            RecoveryOutcome.ShardLocked => "locked",
            RecoveryOutcome.Failed => "failed",
            RecoveryOutcome.NotAttempted => "waiting",
            RecoveryOutcome.Succeeded => "repaired",
            _ => "skipped",
        };
        return (status, execution.Message, outcome.At, execution.RecoveryId ?? 0);
    }

    private static string SkipStatus(RecoverySkipReason? reason) => reason switch
    {
        RecoverySkipReason.RecoveryPeriodBlock => "held",
        RecoverySkipReason.NoRecoveryAction => "no-action",
        // Every switch that turns recoveries off (global, per scope, ERS disabled) reads "disabled"; the text names it.
        { } other when other.ToString().Contains("Disabled", StringComparison.Ordinal) => "disabled",
        _ => "skipped",
    };
}
