namespace Vtorc.Orchestrator.Store;

/// <summary>The newest finished shard-wide recovery of a shard, for the anti-flapping guard.</summary>
public sealed record CompletedRecoveryRecord(long RecoveryId, string Alias, string Analysis, DateTimeOffset EndRecovery, RecoveryAcknowledgement? Acknowledgement)
{
    public bool IsAcknowledged => Acknowledgement is not null;
}
