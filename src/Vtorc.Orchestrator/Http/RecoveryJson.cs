using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// One recovery of <c>/api/recoveries</c> (our endpoint; VTOrc shows the same rows only on its status page): the
/// <c>topology_recovery</c> columns under Go-style names, the errors as a list, the operator acknowledgement and
/// the recovery's audit steps in order. Kept separate from the store record so the API does not change with it.
/// </summary>
internal sealed record RecoveryJson(
    long RecoveryId,
    string Alias,
    string Analysis,
    string Keyspace,
    string Shard,
    long DetectionId,
    DateTimeOffset StartRecovery,
    DateTimeOffset? EndRecovery,
    bool IsActive,
    bool IsSuccessful,
    string SuccessorAlias,
    IReadOnlyList<string> AllErrors,
    bool Acknowledged,
    string AcknowledgedBy,
    string AcknowledgedComment,
    DateTimeOffset? AcknowledgedAt,
    IReadOnlyList<RecoveryStepJson> Steps)
{
    public static RecoveryJson From(RecoveryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ack = record.Acknowledgement;
        return new RecoveryJson(record.RecoveryId, record.Alias, record.Analysis, record.Keyspace, record.Shard, record.DetectionId,
            record.StartRecovery, record.EndRecovery, record.IsActive, record.IsSuccessful, record.SuccessorAlias,
            record.AllErrors.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            ack is not null, ack?.AcknowledgedBy ?? "", ack?.Comment ?? "", ack?.AcknowledgedAt,
            [.. record.Steps.Select(s => new RecoveryStepJson(s.RecoveryStepId, s.AuditAt, s.Message))]);
    }
}
