namespace Vtorc.Benchmarks.Chaos;

/// <summary>The faults a chaos run injects (docs/reliability.md, "Fault-injection suite", says what each one does).</summary>
internal enum FaultKind
{
    /// <summary>SIGKILL of a mysqld (the primary's more often than a replica's), restarted after a hold.</summary>
    KillMysqld,

    /// <summary>SIGKILL of an agent (<c>vtorc tablet</c>), restarted after a hold.</summary>
    KillAgent,

    /// <summary>SIGKILL of one of the two orchestrators, restarted after a hold.</summary>
    KillOrchestrator,

    /// <summary>SIGKILL of the primary's mysqld, then of the orchestrator that logs a step of the emergency reparent.</summary>
    KillOrchestratorMidReparent,

    /// <summary>SIGSTOP of a mysqld for a few seconds, then SIGCONT.</summary>
    FreezeMysqld,

    /// <summary>The orchestrators cannot reach the primary's agent; replication and etcd are untouched.</summary>
    CutOrchestratorsFromPrimary,

    /// <summary>The primary's namespace drops everything on its network interface; local clients still write.</summary>
    IsolatePrimary,

    /// <summary>One replica cannot reach the primary (nor the primary it).</summary>
    CutReplicaFromPrimary,

    /// <summary>Random packet loss on every tablet's interface (nftables numgen random).</summary>
    PacketLoss,

    /// <summary>SIGKILL of the primary's mysqld and of etcd; etcd comes back after a hold.</summary>
    EtcdDownDuringFailover,
}
