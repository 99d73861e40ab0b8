using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Http;

/// <summary>One entry of <c>/api/recovery-attempts</c> (ours): the latest recovery attempt of a current problem.</summary>
internal sealed record RecoveryAttemptJson(string TabletAlias, string Analysis, string Outcome, string Reason, string RecoveryName,
    string Message, DateTimeOffset At, long RecoveryId)
{
    public static RecoveryAttemptJson From((string Alias, string Analysis) key, LastRecoveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var execution = outcome.Execution;
        return new RecoveryAttemptJson(key.Alias, key.Analysis, execution.Outcome.ToString(), execution.SkipReason?.ToString() ?? "",
            execution.RecoveryName, execution.Message, outcome.At, execution.RecoveryId ?? 0);
    }
}
