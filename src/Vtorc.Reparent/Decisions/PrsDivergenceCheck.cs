using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// Planned reparent on MariaDB: a primary-elect holding transactions the current primary never had (an errant write,
/// e.g. by an account that ignores read_only, or a former primary's unacknowledged commits) would make them part of
/// the shard's history and hand them to every other tablet (docs/reliability.md, "Diverged MariaDB servers are never
/// promoted"). Compared per writer from both servers' <c>gtid_binlog_state</c>; absent states (MySQL, real vttablets)
/// mean "cannot tell", never "diverged".
/// </summary>
internal static class PrsDivergenceCheck
{
    /// <summary>The primary-elect's GTIDs beyond what the current primary has of each writer other than itself.</summary>
    public static IReadOnlyList<MariaDbGtid> ErrantOnElect(string? electBinlogState, string? primaryBinlogState, uint primaryServerId)
    {
        if (MariaDbBinlogState.TryParse(electBinlogState) is not { } elect || MariaDbBinlogState.TryParse(primaryBinlogState) is not { } primary)
        {
            return [];
        }
        return MariaDbDivergence.AgainstPrimary(elect, primary, primaryServerId);
    }
}
