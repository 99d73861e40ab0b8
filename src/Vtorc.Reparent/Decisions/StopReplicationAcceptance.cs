namespace Vtorc.Reparent.Decisions;

/// <summary>Why ERS may go on after stopping replication (ERS step 5, docs/operation-steps.md).</summary>
public enum StopReplicationAcceptance
{
    /// <summary>Every contacted tablet that answered did so without error.</summary>
    NoErrors,

    /// <summary>The only error came from the primary named in the shard record — the tablet that presumably died.</summary>
    OnlyShardPrimaryFailed,

    /// <summary>Other tablets failed, but no unreached tablet could still acknowledge writes as a primary.</summary>
    Revoked,
}
