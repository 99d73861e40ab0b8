namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// One entry of the shard view's timeline, newest first: either a recovery of the daemon or a reparent an operator
/// started from the page (exactly one of the two is set).
/// </summary>
internal sealed record TimelineEntryJson(DateTimeOffset Start, RecoveryJson? Recovery, OperatorReparentJson? OperatorReparent);
