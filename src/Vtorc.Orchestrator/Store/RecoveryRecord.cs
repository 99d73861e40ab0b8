namespace Vtorc.Orchestrator.Store;

/// <summary>One <c>topology_recovery</c> row with its steps and acknowledgement, as the status page shows it.</summary>
public sealed record RecoveryRecord
{
    public required long RecoveryId { get; init; }
    public required string Alias { get; init; }
    public required string Analysis { get; init; }
    public required string Keyspace { get; init; }
    public required string Shard { get; init; }
    public required long DetectionId { get; init; }
    public required DateTimeOffset StartRecovery { get; init; }

    /// <summary>Null while the recovery is still active.</summary>
    public DateTimeOffset? EndRecovery { get; init; }

    public bool IsSuccessful { get; init; }
    public string SuccessorAlias { get; init; } = "";

    /// <summary>All errors the recovery collected, newline-joined as VTOrc stores them.</summary>
    public string AllErrors { get; init; } = "";

    public IReadOnlyList<RecoveryStepRecord> Steps { get; init; } = [];
    public RecoveryAcknowledgement? Acknowledgement { get; init; }

    public bool IsActive => EndRecovery is null;
}
