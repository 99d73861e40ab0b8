using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// Two hashes per shard of what the operator page shows: <see cref="Summary"/> (its fleet row and problems: state,
/// primary, problem codes and what is being done, reachability) and <see cref="Detail"/> (the shard view: also every
/// tablet's type, read-only, replication threads, lag, GTID position, errant GTIDs, semi-sync, its recoveries and the
/// revision of its operator reparents).
/// <see cref="Switches"/> hashes the recovery switches (global, keyspace, shard). Comparing two fingerprints says which
/// shards changed and whether the overview or the switches did. Pure.
/// </summary>
internal sealed record FleetFingerprint(int Summary, IReadOnlyDictionary<string, int> Detail, int Switches)
{
    public static string Key(string keyspace, string shard) => $"{keyspace}/{shard}";

    public static FleetFingerprint Of(IReadOnlyList<ShardSnapshot> snapshots, IReadOnlyList<ShardAnalysisResult> results,
        IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> outcomes, IReadOnlyList<RecoveryRecord> recentRecoveries,
        bool? globalRecoveriesDisabled, IReadOnlyList<RecoveryDisable> disables, IReadOnlyDictionary<string, int>? operatorReparentRevisions = null)
    {
        var switches = new HashCode();
        switches.Add(globalRecoveriesDisabled);
        foreach (var disable in disables)
        {
            switches.Add(disable.Scope.ToString());
            switches.Add(disable.DisabledBy);
            switches.Add(disable.Reason);
        }
        var recoveriesByShard = recentRecoveries.ToLookup(r => Key(r.Keyspace, r.Shard));
        var detail = new Dictionary<string, int>(snapshots.Count, StringComparer.Ordinal);
        var fleet = new HashCode();
        fleet.Add(globalRecoveriesDisabled);
        fleet.Add(snapshots.Count);
        for (int i = 0; i < snapshots.Count; i++)
        {
            var snapshot = snapshots[i];
            var key = Key(snapshot.Keyspace.Name, snapshot.Shard.Shard);
            var summary = new HashCode();
            summary.Add(key);
            summary.Add(snapshot.Shard.PrimaryAlias);
            summary.Add(snapshot.Keyspace.DurabilityPolicy);
            var result = i < results.Count ? results[i] : null;
            summary.Add(result?.SkipReason);
            foreach (var analysis in result?.Analyses ?? [])
            {
                if (analysis.Analysis == AnalysisCodes.NoProblem)
                {
                    continue;
                }
                summary.Add(analysis.AnalyzedInstanceAlias);
                summary.Add(analysis.Analysis);
                if (outcomes.TryGetValue((analysis.AnalyzedInstanceAlias, analysis.Analysis), out var outcome))
                {
                    summary.Add(outcome.Execution.Outcome);
                    summary.Add(outcome.Execution.SkipReason);
                    summary.Add(outcome.Execution.Message);
                }
            }
            var shardDetail = new HashCode();
            foreach (var tablet in snapshot.Tablets)
            {
                summary.Add(tablet.Alias);
                summary.Add(tablet.Type);
                shardDetail.Add(tablet.MysqlHostname);
                shardDetail.Add(tablet.MysqlPort);
                if (snapshot.Observations.TryGetValue(tablet.Alias, out var o))
                {
                    summary.Add(o.LastCheckSucceeded);
                    shardDetail.Add(o.CurrentTabletType);
                    shardDetail.Add(o.ReadOnly);
                    shardDetail.Add(o.SuperReadOnly);
                    shardDetail.Add(o.SourceHost);
                    shardDetail.Add(o.SourcePort);
                    shardDetail.Add(o.ReplicationIoThreadState);
                    shardDetail.Add(o.ReplicationSqlThreadState);
                    shardDetail.Add(o.ReplicationLagSeconds);
                    shardDetail.Add(o.ExecutedGtidSet);
                    shardDetail.Add(o.GtidErrant);
                    shardDetail.Add(o.SemiSyncPrimaryStatus);
                    shardDetail.Add(o.SemiSyncReplicaStatus);
                    shardDetail.Add(o.SemiSyncBlocked);
                    shardDetail.Add(o.IsDiskStalled);
                }
            }
            foreach (var recovery in recoveriesByShard[key])
            {
                // A recovery that starts or ends changes the problems' status on the overview too.
                summary.Add(recovery.RecoveryId);
                summary.Add(recovery.IsActive);
                shardDetail.Add(recovery.IsSuccessful);
                shardDetail.Add(recovery.Steps.Count);
                shardDetail.Add(recovery.Acknowledgement is not null);
            }
            // Only the shard view shows them; a reparent's effect on the primary reaches the summary through the topology.
            shardDetail.Add(operatorReparentRevisions?.GetValueOrDefault(key));
            int summaryHash = summary.ToHashCode();
            fleet.Add(summaryHash);
            shardDetail.Add(summaryHash);
            detail[key] = shardDetail.ToHashCode();
        }
        return new FleetFingerprint(fleet.ToHashCode(), detail, switches.ToHashCode());
    }

    /// <summary>The shards whose detail differs from <paramref name="earlier"/> (added and removed shards included).</summary>
    public IReadOnlyList<string> ChangedShardsSince(FleetFingerprint earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var changed = new List<string>();
        foreach (var (key, hash) in Detail)
        {
            if (!earlier.Detail.TryGetValue(key, out var before) || before != hash)
            {
                changed.Add(key);
            }
        }
        foreach (var key in earlier.Detail.Keys)
        {
            if (!Detail.ContainsKey(key))
            {
                changed.Add(key);
            }
        }
        return changed;
    }
}
