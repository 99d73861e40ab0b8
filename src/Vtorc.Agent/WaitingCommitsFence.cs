namespace Vtorc.Agent;

/// <summary>
/// What the agent does, when it fences a MariaDB primary, with commits still waiting for a semi-sync acknowledgement
/// (docs/reliability.md, "Unacknowledged commits of an old primary"). Such a commit is in the binary log already and
/// prepared in InnoDB; it was never acknowledged to its client and no replica may have it.
/// </summary>
public enum WaitingCommitsFence
{
    /// <summary>
    /// SIGKILL mysqld: its crash recovery, started as a replica (<c>--init-rpl-role=SLAVE
    /// --rpl-semi-sync-slave-enabled=ON</c>), drops the waiting commits, so the server can rejoin the shard. Needs the
    /// agent on mysqld's host and mysqld supervised (systemd, mysqlctld, a container restart policy) to start it again.
    /// A forced fence also kills a mysqld that does not answer at all (docs/reliability.md, "A frozen primary").
    /// </summary>
    Crash,

    /// <summary>
    /// Kill the waiting connections: their clients get an error, but MariaDB then commits those transactions, and the
    /// server keeps commits its shard may never have (it diverges).
    /// </summary>
    Kill,
}
