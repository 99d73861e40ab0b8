namespace Vtorc.Reparent.Operations;

/// <summary>The stage of a reparent an event belongs to, in the order the operations run them.</summary>
public enum ReparentPhase
{
    /// <summary>Locking the shard and reading its records and durability policy.</summary>
    Preparation,

    /// <summary>ERS: StopReplicationAndGetStatus everywhere (and forced demotion of tablets that are no replica).</summary>
    StopReplication,

    /// <summary>ERS: may ERS go on with the tablets it reached?</summary>
    Revocation,

    /// <summary>ERS: candidates apply their relay logs.</summary>
    RelayLogWait,

    /// <summary>ERS: reparent journal lengths for the errant-GTID filter.</summary>
    ErrantGtidCheck,

    /// <summary>Choosing the new primary (ERS candidates, PRS primary-elect).</summary>
    CandidateSelection,

    /// <summary>ERS: repointing candidates to the intermediate source.</summary>
    IntermediateRepointing,

    /// <summary>The chosen tablet catches up with the most advanced position.</summary>
    CatchUp,

    /// <summary>PRS: demoting the current primary (or every tablet).</summary>
    Demotion,

    /// <summary>InitPrimary / PromoteReplica / SetReadWrite on the new primary.</summary>
    Promotion,

    /// <summary>PopulateReparentJournal on the new primary.</summary>
    ReparentJournal,

    /// <summary>SetReplicationSource on every other tablet.</summary>
    ReparentReplicas,

    /// <summary>ERS failed before repointing: restarting the replication it stopped.</summary>
    RestartReplication,

    /// <summary>PRS: undoing a demotion after a failed catch-up.</summary>
    Undo,

    /// <summary>The operation finished (successfully or not).</summary>
    Done,
}
