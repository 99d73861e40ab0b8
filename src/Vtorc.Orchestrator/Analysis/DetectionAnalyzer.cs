using Topodata;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// Detection analysis (GetDetectionAnalysis in go/vt/vtorc/inst/analysis_dao.go): a pure function from one shard's
/// snapshot to the problems of its tablets. Rows are the shard's PRIMARY/REPLICA/RDONLY tablets ordered by topo type,
/// then newest primary term first (alias as the final tie-break, where SQL left the order open). Each row gets the
/// per-tablet aggregation of VTOrc's SQL query computed in memory, its per-row rules, every condition and the order of
/// go/vt/vtorc/inst/analysis_problem.go and the structure warnings; then the
/// InvalidPrimary → DeadPrimary post-processing runs. No I/O and no clock: every time compared is in the snapshot.
/// </summary>
public static class DetectionAnalyzer
{
    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <param name="now">
    /// The analysis time: the primary health window (IncapacitatedPrimary) is evaluated at it. The other conditions
    /// only compare the snapshot's own timestamps.
    /// </param>
    public static ShardAnalysisResult Analyze(ShardSnapshot snapshot, AnalysisSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        string keyspace = snapshot.Keyspace.Name;
        string shard = snapshot.Shard.Shard;
        var tablets = snapshot.Tablets;

        var scratch = t_scratch ??= new Scratch();
        int rowCount = scratch.PrepareRows(snapshot);
        if (rowCount == 0)
        {
            return new ShardAnalysisResult(keyspace, shard, [], ShardSkipReason.None, null);
        }
        if (snapshot.Keyspace.KeyspaceType == KeyspaceType.Snapshot)
        {
            return new ShardAnalysisResult(keyspace, shard, [], ShardSkipReason.SnapshotKeyspace,
                $"keyspace {keyspace} is a snapshot keyspace. Skipping.");
        }
        if (snapshot.Durability is null)
        {
            var reason = string.IsNullOrEmpty(snapshot.Keyspace.DurabilityPolicy)
                ? ShardSkipReason.NoDurabilityPolicy
                : ShardSkipReason.UnknownDurabilityPolicy;
            return new ShardAnalysisResult(keyspace, shard, [], reason, snapshot.DurabilityProblem);
        }
        if (snapshot.AwaitingFirstPoll.Count > 0 && FirstPollWait(snapshot, settings, now) is { } waiting)
        {
            return new ShardAnalysisResult(keyspace, shard, [], ShardSkipReason.AwaitingFirstPoll, waiting);
        }

        long pollSeconds = settings.InstancePollSeconds;
        long lagSeconds = settings.ReasonableReplicationLagSeconds;
        var facts = scratch.Facts;
        var first = tablets[scratch.Order[0]];
        bool hasClusterPrimary = first.Type == TabletType.Primary;
        string clusterPrimaryAlias = hasClusterPrimary ? first.Alias : "";
        DateTimeOffset clusterPrimaryTerm = hasClusterPrimary ? first.PrimaryTermStartTime : default;

        List<DetectionAnalysis>? results = null;
        int totalTablets = 0;
        AnalysisProblem? shardWideAction = null;
        for (int row = 0; row < rowCount; row++)
        {
            totalTablets++;
            int index = scratch.Order[row];
            facts.Durability = snapshot.Durability;
            facts.IsClusterPrimary = row == 0 && hasClusterPrimary;
            facts.ShardHasClusterPrimary = hasClusterPrimary;
            facts.ClusterPrimaryAlias = clusterPrimaryAlias;
            facts.ClusterPrimaryTermStart = clusterPrimaryTerm;
            facts.ShardPrimaryTermStart = snapshot.Shard.PrimaryTermStartTime;
            scratch.Aggregate(tablets, index, pollSeconds, lagSeconds);
            facts.PrimaryHealthUnhealthy = facts.Instance is { } instance && instance.PrimaryHealth.IsUnhealthyAt(now, settings.PrimaryHealthWindow);
            // Vitess main: only for a primary whose tablet record has no shutdown time (a shut-down tablet is not polled).
            // Ours also: only under a durability policy with semi-sync. The old primary's mysqld is alive (its replicas
            // still replicate from it, or DeadPrimary would match); without semi-sync it would go on acknowledging writes
            // next to the new primary (docs/vitess-compatibility.md, docs/reliability.md).
            facts.PrimaryUnreachableByQuorum = facts.IsClusterPrimary && settings.Quorum.Enabled && !facts.LastCheckValid
                && facts.Durability.HasSemiSync
                && facts.Tablet.Tablet.TabletShutdownTime is null
                && PrimaryQuorum.Evaluate(snapshot, clusterPrimaryAlias, settings.Quorum, now).IsDown;
            facts.BehindReachableReplica = facts.IsClusterPrimary && facts.IsReadOnly
                && PrimaryBehindReplicas.Find(snapshot, clusterPrimaryAlias).Any(r => r.ReplicaReachable);

            var matched = scratch.Matched;
            matched.Clear();
            var candidates = !facts.IsInvalid ? AnalysisProblems.Ordered
                : facts.PrimaryUnreachableByQuorum ? AnalysisProblems.InvalidPrimaryByQuorum
                : AnalysisProblems.InvalidOnly;
            foreach (var problem in candidates)
            {
                if (problem.Matches(facts))
                {
                    matched.Add(problem);
                }
            }
            ProblemOrdering.Sort(matched);
            var warnings = scratch.Warnings;
            warnings.Clear();
            StructureWarnings.Collect(facts, warnings);
            if (matched.Count == 0 && warnings.Count == 0)
            {
                continue;
            }

            string code = AnalysisCodes.NoProblem;
            string description = "";
            MatchedProblem[] matchedProblems = [];
            if (matched.Count > 0)
            {
                var chosen = ChooseUnderShardWideAction(matched, ref shardWideAction);
                if (chosen is null)
                {
                    continue;
                }
                code = chosen.Code;
                description = chosen.Description;
                matchedProblems = new MatchedProblem[matched.Count];
                for (int i = 0; i < matched.Count; i++)
                {
                    matchedProblems[i] = matched[i].AsMatched;
                }
            }
            else if (shardWideAction is not null)
            {
                continue;
            }
            string[] structure = warnings.Count == 0 ? [] : warnings.ToArray();
            (results ??= []).Add(DetectionAnalysis.From(facts, snapshot, code, description, matchedProblems, structure));
        }
        facts.Tablet = null!;
        facts.Instance = null;
        facts.SourceTablet = null;
        facts.Durability = null!;
        scratch.ReleaseRows();

        if (results is null)
        {
            return new ShardAnalysisResult(keyspace, shard, [], ShardSkipReason.None, null);
        }
        PromoteInvalidPrimaryToDead(results, totalTablets);
        return new ShardAnalysisResult(keyspace, shard, results, ShardSkipReason.None, null);
    }

    /// <summary>
    /// Which of a row's sorted matches is reported, given the shard-wide action chosen by an earlier row of the shard
    /// (GetDetectionAnalysis in go/vt/vtorc/inst/analysis_dao.go, after vitessio/vitess#19925). The first row whose
    /// best match is shard-wide sets the shard's action; a later shard-wide match is dropped (one shard-wide recovery
    /// at a time). After it, a row keeps only a problem that must be fixed before that action, or that the action
    /// wants done first (e.g. a stopped replica that may be the missing semi-sync acker): the first such match, else
    /// the row is dropped. Rows before the shard-wide one are never suppressed. Null: drop the row.
    /// </summary>
    private static AnalysisProblem? ChooseUnderShardWideAction(List<AnalysisProblem> matched, ref AnalysisProblem? shardWideAction)
    {
        var best = matched[0];
        if (best.HasShardWideAction)
        {
            if (shardWideAction is not null)
            {
                return null;
            }
            shardWideAction = best;
            return best;
        }
        if (shardWideAction is null)
        {
            return best;
        }
        foreach (var problem in matched)
        {
            if (ProblemOrdering.Lists(problem.Before, shardWideAction.Code) || ProblemOrdering.Lists(shardWideAction.After, problem.Code))
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>Analyses several shards; skipped shards are part of the answer so their reasons can be logged.</summary>
    public static IReadOnlyList<ShardAnalysisResult> AnalyzeAll(IEnumerable<ShardSnapshot> snapshots, AnalysisSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var results = new List<ShardAnalysisResult>();
        foreach (var snapshot in snapshots)
        {
            results.Add(Analyze(snapshot, settings, now));
        }
        return results;
    }

    /// <summary>
    /// Ours (docs/vitess-compatibility.md, "Shards wait for their tablets' first poll"): while a tablet discovered less
    /// than <see cref="AnalysisSettings.FirstPollWait"/> ago has not had its first poll end, nothing is known of it, and
    /// VTOrc's rules would read it as never reached — at a daemon's start, every shard whose polls are still queued as
    /// InvalidPrimary, then DeadPrimary. The shard is not analysed until those polls end or the wait is over.
    /// </summary>
    /// <returns>The skip message (stable from tick to tick, so it is logged once), or null when nothing holds the shard.</returns>
    private static string? FirstPollWait(ShardSnapshot snapshot, AnalysisSettings settings, DateTimeOffset now)
    {
        List<string>? waiting = null;
        DateTimeOffset until = default;
        foreach (var (alias, discovered) in snapshot.AwaitingFirstPoll)
        {
            var end = discovered + settings.FirstPollWait;
            if (now < end)
            {
                (waiting ??= []).Add(alias);
                until = end > until ? end : until;
            }
        }
        if (waiting is null)
        {
            return null;
        }
        waiting.Sort(StringComparer.Ordinal);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"waiting for the first poll of {string.Join(", ", waiting)} to end (until {until.UtcDateTime:HH:mm:ss}Z at the latest; a tablet not polled by then counts as never reached)");
    }

    /// <summary>
    /// Post-processing as in GetDetectionAnalysis: an unreachable-since-start primary whose every other tablet is a
    /// reported replica that is not replicating (invalid check or stopped replication) is dead; those replica rows are
    /// dropped.
    /// </summary>
    private static void PromoteInvalidPrimaryToDead(List<DetectionAnalysis> results, int totalTablets)
    {
        bool changed;
        do
        {
            changed = false;
            for (int i = 0; i < results.Count; i++)
            {
                if (results[i].Analysis != AnalysisCodes.InvalidPrimary)
                {
                    continue;
                }
                int totalReplicas = totalTablets - 1;
                int notReplicating = 0;
                foreach (var other in results)
                {
                    if (IsNotReplicatingReplica(other))
                    {
                        notReplicating++;
                    }
                }
                if (totalReplicas > 0 && notReplicating == totalReplicas)
                {
                    var dead = AnalysisProblems.Get(AnalysisCodes.DeadPrimary);
                    results[i] = results[i] with
                    {
                        Analysis = dead.Code,
                        Description = dead.Description,
                        IsActionableRecovery = RecoveryMapping.For(dead.Code).IsActionable,
                    };
                    results.RemoveAll(IsNotReplicatingReplica);
                    changed = true;
                    break;
                }
            }
        }
        while (changed);
    }

    private static bool IsNotReplicatingReplica(DetectionAnalysis analysis) =>
        analysis.TabletType is TabletType.Replica or TabletType.Rdonly
        && (!analysis.LastCheckValid || analysis.ReplicationStopped);

    /// <summary>Per-thread buffers so that a pass allocates only for what it reports.</summary>
    private sealed class Scratch
    {
        public readonly TabletFacts Facts = new();
        public readonly List<AnalysisProblem> Matched = new(8);
        public readonly List<string> Warnings = new(4);
        private readonly List<string> _majorVersions = new(4);
        public int[] Order = new int[16];
        private InstanceObservation?[] _observations = new InstanceObservation?[16];

        /// <summary>Looks up each tablet's observation once and orders the analysable rows; returns their count.</summary>
        public int PrepareRows(ShardSnapshot snapshot)
        {
            var tablets = snapshot.Tablets;
            if (_observations.Length < tablets.Count)
            {
                _observations = new InstanceObservation?[Math.Max(tablets.Count, _observations.Length * 2)];
                Order = new int[_observations.Length];
            }
            int rows = 0;
            for (int i = 0; i < tablets.Count; i++)
            {
                var tablet = tablets[i];
                _observations[i] = snapshot.Observations.TryGetValue(tablet.Alias, out var observation) ? observation : null;
                if (tablet.Type is TabletType.Primary or TabletType.Replica or TabletType.Rdonly)
                {
                    // Insertion into the sorted prefix: rows per shard are few.
                    int at = rows++;
                    while (at > 0 && RowPrecedes(tablet, tablets[Order[at - 1]]))
                    {
                        Order[at] = Order[at - 1];
                        at--;
                    }
                    Order[at] = i;
                }
            }
            return rows;
        }

        public void ReleaseRows() => Array.Clear(_observations);

        private static bool RowPrecedes(TabletRecord a, TabletRecord b)
        {
            if (a.Type != b.Type)
            {
                return a.Type < b.Type;
            }
            int byTerm = b.PrimaryTermStartTime.CompareTo(a.PrimaryTermStartTime);
            if (byTerm != 0)
            {
                return byTerm < 0;
            }
            return string.CompareOrdinal(a.Alias, b.Alias) < 0;
        }

        /// <summary>Fills <see cref="Facts"/> for tablet <paramref name="index"/>: own instance, source tablet, direct replicas.</summary>
        public void Aggregate(IReadOnlyList<TabletRecord> tablets, int index, long pollSeconds, long lagSeconds)
        {
            var f = Facts;
            var tablet = tablets[index];
            f.Tablet = tablet;
            var own = _observations[index];
            // The instance row is matched on alias and on the host:port it was polled at.
            if (own is not null && (own.Port != tablet.MysqlPort || !string.Equals(own.Hostname, tablet.MysqlHostname, StringComparison.Ordinal)))
            {
                own = null;
            }
            f.Instance = own;
            ResetCounts(f);
            if (own is null)
            {
                f.IsInvalid = true;
                f.IsPrimary = false;
                f.LastCheckValid = false;
                f.LastCheckPartialSuccess = false;
                f.ReplicationStopped = false;
                f.ReplicationDiverged = false;
                f.IsReadOnly = false;
                f.IsDiskStalled = false;
                f.CurrentTabletType = TabletType.Unknown;
                f.SourceTablet = null;
                f.SourceTabletAlias = "";
                return;
            }

            f.IsInvalid = false;
            f.IsPrimary = own.ReplicatesFromNobody;
            f.LastCheckValid = own.IsLastCheckValid(pollSeconds);
            f.LastCheckPartialSuccess = own.LastCheckPartialSuccess;
            f.ReplicationStopped = !own.ReplicationSqlThreadRunning || !own.ReplicationIoThreadRunning;
            f.ReplicationDiverged = f.ReplicationStopped && DivergenceErrors.IsDivergence(own.LastIoError, own.LastSqlError);
            f.IsReadOnly = own.ReadOnly;
            f.IsDiskStalled = own.IsDiskStalled;
            f.CurrentTabletType = own.CurrentTabletType;

            f.SourceTablet = null;
            f.SourceTabletAlias = "";
            if (own.SourceHost.Length != 0)
            {
                for (int i = 0; i < tablets.Count; i++)
                {
                    var candidate = tablets[i];
                    if (candidate.MysqlPort == own.SourcePort && string.Equals(candidate.MysqlHostname, own.SourceHost, StringComparison.Ordinal))
                    {
                        f.SourceTablet = candidate.Info;
                        f.SourceTabletAlias = candidate.Alias;
                        break;
                    }
                }
            }

            for (int i = 0; i < tablets.Count; i++)
            {
                var replica = _observations[i];
                if (replica is null || replica.SourcePort != own.Port || !string.Equals(replica.SourceHost, own.Hostname, StringComparison.Ordinal))
                {
                    continue;
                }
                CountReplica(f, replica, lagSeconds);
            }
            f.CountDistinctMajorVersionsLoggingReplicas = _majorVersions.Count;
            _majorVersions.Clear();
        }

        private void CountReplica(TabletFacts f, InstanceObservation replica, long lagSeconds)
        {
            f.CountReplicas++;
            bool valid = replica.LastCheckSucceeded;
            // A replica that hears nothing from this source is not replicating from it, whatever its IO thread says
            // (docs/reliability.md, "Silence is not health").
            bool replicating = replica.IsReplicatingFromSource;
            if (valid)
            {
                f.CountValidReplicas++;
                if (replica.UsingAutoPosition)
                {
                    f.CountValidAutoPositionReplicas++;
                }
                if (replicating)
                {
                    f.CountValidReplicatingReplicas++;
                    if (replica.SemiSyncReplicaEnabled)
                    {
                        f.CountValidSemiSyncReplicatingReplicas++;
                    }
                }
            }
            if (replica.SemiSyncReplicaEnabled)
            {
                f.CountSemiSyncReplicasEnabled++;
            }
            if (replica.ReplicationLagSeconds is { } lag && lag > lagSeconds)
            {
                f.CountLaggingReplicas++;
            }
            if (replica.SqlDelay > 0)
            {
                f.CountDelayedReplicas++;
            }
            if (replica.LogBinEnabled && replica.LogReplicaUpdates)
            {
                f.CountLoggingReplicas++;
                switch (replica.BinlogFormat)
                {
                    case "STATEMENT": f.CountStatementBasedLoggingReplicas++; break;
                    case "MIXED": f.CountMixedBasedLoggingReplicas++; break;
                    case "ROW": f.CountRowBasedLoggingReplicas++; break;
                }
                if (!_majorVersions.Contains(replica.MajorVersion))
                {
                    _majorVersions.Add(replica.MajorVersion);
                }
            }
            if (f.MinReplicaGtidMode is null || string.CompareOrdinal(replica.GtidMode, f.MinReplicaGtidMode) < 0)
            {
                f.MinReplicaGtidMode = replica.GtidMode;
            }
            if (f.MaxReplicaGtidMode is null || string.CompareOrdinal(replica.GtidMode, f.MaxReplicaGtidMode) > 0)
            {
                f.MaxReplicaGtidMode = replica.GtidMode;
            }
            if (f.MaxReplicaGtidErrant is null || string.CompareOrdinal(replica.GtidErrant, f.MaxReplicaGtidErrant) > 0)
            {
                f.MaxReplicaGtidErrant = replica.GtidErrant;
            }
        }

        private static void ResetCounts(TabletFacts f)
        {
            f.StaleBinlogCoordinates = false; // nothing in VTOrc records stale coordinates
            f.CountReplicas = 0;
            f.CountValidReplicas = 0;
            f.CountValidReplicatingReplicas = 0;
            f.CountValidSemiSyncReplicatingReplicas = 0;
            f.CountValidAutoPositionReplicas = 0;
            f.CountSemiSyncReplicasEnabled = 0;
            f.CountLaggingReplicas = 0;
            f.CountDelayedReplicas = 0;
            f.CountLoggingReplicas = 0;
            f.CountStatementBasedLoggingReplicas = 0;
            f.CountMixedBasedLoggingReplicas = 0;
            f.CountRowBasedLoggingReplicas = 0;
            f.CountDistinctMajorVersionsLoggingReplicas = 0;
            f.MinReplicaGtidMode = null;
            f.MaxReplicaGtidMode = null;
            f.MaxReplicaGtidErrant = null;
        }
    }
}
