using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// One PRS candidate's answer to ReplicationStatus. A tablet answering "not a replica" counts as an empty position
/// (<see cref="NotAReplica"/>). Any other error fails PRS before a decision is taken.
/// </summary>
/// <param name="RelayLogPosition">Preferred when not empty; otherwise <see cref="Position"/> is compared.</param>
/// <param name="ReplicationLag">Seconds behind its source; null when MySQL reports it unknown.</param>
/// <param name="BufferPoolDataPages"><c>Innodb_buffer_pool_pages_data</c> when it could be read.</param>
/// <param name="Version">The server version from FullStatus; null when it could not be read.</param>
/// <param name="DiskStalled">Its FullStatus reported a stalled disk: it cannot be elected.</param>
internal sealed record PrsCandidateStatus(
    string Alias,
    ReplicationPosition Position,
    ReplicationPosition RelayLogPosition,
    TimeSpan? ReplicationLag,
    bool BackupRunning = false,
    long? BufferPoolDataPages = null,
    ServerVersion? Version = null,
    bool DiskStalled = false)
{
    public static PrsCandidateStatus NotAReplica(string alias, long? bufferPoolDataPages = null, CandidateServerStatus? server = null) =>
        new(alias, ReplicationPosition.Empty, ReplicationPosition.Empty, TimeSpan.Zero, false, bufferPoolDataPages, server?.Version,
            server?.DiskStalled ?? false);

    /// <summary>The position PRS compares: relay-log position if known, else the executed position.</summary>
    public ReplicationPosition ComparedPosition => RelayLogPosition.IsEmpty ? Position : RelayLogPosition;
}
