namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// One current problem on the operator page: where, what, since when the page has seen it, and what the orchestrator
/// is doing about it (<see cref="Status"/>: <c>repairing</c>, <c>disabled</c>, <c>held</c> (anti-flapping block),
/// <c>locked</c> (shard lock held elsewhere), <c>failed</c>, <c>waiting</c>, <c>no-action</c>, <c>skipped</c>,
/// <c>repaired</c>, <c>pending</c>) with the pipeline's own words and when that was.
/// </summary>
internal sealed record ProblemJson(
    string Keyspace,
    string Shard,
    string Alias,
    string Analysis,
    string Description,
    DateTimeOffset Since,
    string Status,
    string StatusText,
    DateTimeOffset? StatusAt,
    long RecoveryId);
