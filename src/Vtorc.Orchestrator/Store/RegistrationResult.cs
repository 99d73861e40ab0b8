namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The outcome of <see cref="RecoveryHistory.AttemptRecoveryRegistrationAsync"/>: either the new recovery id or
/// the refusal VTOrc reports ("Active recovery (id:…) in the cluster ks:shard for code").
/// </summary>
public sealed record RegistrationResult(long? RecoveryId, string? Refusal)
{
    public bool IsRegistered => RecoveryId is not null;

    public static RegistrationResult Registered(long recoveryId) => new(recoveryId, null);

    public static RegistrationResult Refused(long activeRecoveryId, string keyspace, string shard, string analysis) =>
        new(null, $"Active recovery (id:{activeRecoveryId}) in the cluster {keyspace}:{shard} for {analysis}");
}
