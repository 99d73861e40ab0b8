using Replicationdata;

namespace Vtorc.Agent.Flavors;

/// <summary>
/// The server's semi-sync settings (enabled flags, timeout, replica count) and live state (status flags, connected
/// semi-sync replicas), whatever the variables are called on this server.
/// </summary>
public sealed record SemiSyncState
{
    public bool PrimaryEnabled { get; init; }

    public bool ReplicaEnabled { get; init; }

    /// <summary>The primary currently waits for acknowledgements (it has not fallen back to asynchronous).</summary>
    public bool PrimaryStatus { get; init; }

    /// <summary>The replica's IO thread currently acknowledges in semi-sync mode.</summary>
    public bool ReplicaStatus { get; init; }

    public uint PrimaryClients { get; init; }

    /// <summary>Milliseconds the primary waits for an acknowledgement before falling back.</summary>
    public ulong PrimaryTimeoutMilliseconds { get; init; }

    /// <summary>Acknowledgements the primary waits for (always 1 on MariaDB).</summary>
    public uint WaitForReplicaCount { get; init; }

    /// <summary>Sessions whose commit currently waits for an acknowledgement on this primary.</summary>
    public uint PrimaryWaitSessions { get; init; }

    /// <summary>
    /// Commits acknowledged by a replica so far (Rpl_semi_sync_*_yes_tx): whether it moves tells a slow
    /// acknowledgement from none at all (<see cref="SemiSyncStallTracker"/>).
    /// </summary>
    public ulong PrimaryAckedTransactions { get; init; }

    /// <summary>Copies the four flags into Status fields 26–29 (StopReplicationAndGetStatus for ERS).</summary>
    public void ApplyTo(Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        status.SemiSyncPrimaryEnabled = PrimaryEnabled;
        status.SemiSyncReplicaEnabled = ReplicaEnabled;
        status.SemiSyncPrimaryStatus = PrimaryStatus;
        status.SemiSyncReplicaStatus = ReplicaStatus;
    }

    /// <summary>Copies everything into the FullStatus semi-sync fields 14–20.</summary>
    public void ApplyTo(FullStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        status.SemiSyncPrimaryEnabled = PrimaryEnabled;
        status.SemiSyncReplicaEnabled = ReplicaEnabled;
        status.SemiSyncPrimaryStatus = PrimaryStatus;
        status.SemiSyncReplicaStatus = ReplicaStatus;
        status.SemiSyncPrimaryClients = PrimaryClients;
        status.SemiSyncPrimaryTimeout = PrimaryTimeoutMilliseconds;
        status.SemiSyncWaitForReplicaCount = WaitForReplicaCount;
        // semi_sync_blocked needs more than one sample: the agent sets it from its SemiSyncStallTracker.
    }
}
