using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// A planned or emergency reparent an operator started from the page, in the shard view's timeline: who asked, when,
/// for which tablet, each step at its time, and how it ended (the new primary, or the error).
/// </summary>
/// <param name="Kind"><c>planned</c> or <c>emergency</c>.</param>
/// <param name="RequestedPrimary">The tablet asked for; empty when an emergency reparent was left to choose.</param>
internal sealed record OperatorReparentJson(
    long ReparentId,
    string Kind,
    string RequestedBy,
    string RequestedPrimary,
    DateTimeOffset StartReparent,
    DateTimeOffset? EndReparent,
    bool IsActive,
    bool IsSuccessful,
    string NewPrimary,
    string PreviousPrimary,
    string Error,
    IReadOnlyList<OperatorReparentStepJson> Steps)
{
    public static OperatorReparentJson From(OperatorReparentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new OperatorReparentJson(record.ReparentId, record.Kind, record.RequestedBy, record.RequestedPrimary, record.StartReparent,
            record.EndReparent, record.IsActive, record.IsSuccessful, record.NewPrimary, record.PreviousPrimary, record.Error,
            [.. record.Steps.Select(s => new OperatorReparentStepJson(s.AuditAt, s.Message))]);
    }
}

/// <summary>One step of an operator's reparent, at the time it happened.</summary>
internal sealed record OperatorReparentStepJson(DateTimeOffset At, string Message);
