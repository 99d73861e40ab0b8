using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Store;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>Builds <see cref="ShardViewJson"/> for one shard from its snapshot, its analysis and its history. Pure.</summary>
internal static class ShardView
{
    public const int TimelineLength = 10;

    /// <param name="operatorReparents">The shard's reparents operators started from the page, newest first: on the
    /// timeline beside the recoveries, never counted as one (the anti-flapping block reads <paramref name="lastShardWide"/>).</param>
    public static ShardViewJson Build(ShardSnapshot snapshot, ShardAnalysisResult result, AnalysisSettings settings,
        IReadOnlyDictionary<(string Alias, string Analysis), LastRecoveryOutcome> outcomes, IReadOnlyList<RecoveryRecord> recoveries,
        IReadOnlyList<OperatorReparentRecord> operatorReparents, CompletedRecoveryRecord? lastShardWide, TimeSpan block,
        Func<string, string, DateTimeOffset> detectedSince, FleetContext context)
    {
        ArgumentNullException.ThrowIfNull(operatorReparents);
        ArgumentNullException.ThrowIfNull(detectedSince);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        var now = context.Now;
        var running = FleetOverview.ActiveByShard(recoveries);
        var problems = result.Analyses.Where(a => a.Analysis != AnalysisCodes.NoProblem)
            .Select(a => FleetOverview.Problem(snapshot, a, outcomes, running, detectedSince(a.AnalyzedInstanceAlias, a.Analysis))).ToList();
        var codesByAlias = result.Analyses.Where(a => a.Analysis != AnalysisCodes.NoProblem)
            .ToLookup(a => a.AnalyzedInstanceAlias, a => a.Analysis, StringComparer.Ordinal);
        var tablets = ReplicationTree.Of(snapshot)
            .Select(row => Tablet(row, snapshot.Shard, codesByAlias[row.Tablet.Alias], settings, context))
            .ToList();

        var antiFlapping = AntiFlapping(lastShardWide, block, now);
        return new ShardViewJson(now, snapshot.Keyspace.Name, snapshot.Shard.Shard, FleetOverview.Name(FleetOverview.StateOf(result)),
            snapshot.Keyspace.DurabilityPolicy, result.IsSkipped ? result.SkipMessage ?? result.SkipReason.ToString() : "",
            snapshot.Shard.PrimaryAlias, snapshot.Shard.PrimaryTermStartTime == default ? null : snapshot.Shard.PrimaryTermStartTime,
            snapshot.Keyspace.EmergencyReparentDisabled || snapshot.Shard.EmergencyReparentDisabled,
            tablets, problems, WhyNot(problems, result, context), antiFlapping, [.. recoveries.Select(RecoveryJson.From)],
            Timeline(recoveries, operatorReparents), context.StoreError);
    }

    /// <summary>The newest <see cref="TimelineLength"/> recoveries and operator reparents together, newest start first.</summary>
    public static IReadOnlyList<TimelineEntryJson> Timeline(IReadOnlyList<RecoveryRecord> recoveries, IReadOnlyList<OperatorReparentRecord> operatorReparents) =>
    [
        .. recoveries.Select(r => new TimelineEntryJson(r.StartRecovery, RecoveryJson.From(r), null))
            .Concat(operatorReparents.Select(o => new TimelineEntryJson(o.StartReparent, null, OperatorReparentJson.From(o))))
            .OrderByDescending(e => e.Start)
            .Take(TimelineLength),
    ];

    /// <summary>
    /// Why the shard's problems are not being repaired, in the pipeline's words; empty when there is no problem or a
    /// repair is running. A global switch that is off is said first: it explains every problem.
    /// </summary>
    public static string WhyNot(IReadOnlyList<ProblemJson> problems, ShardAnalysisResult result, FleetContext context)
    {
        if (result.SkipReason == ShardSkipReason.AwaitingFirstPoll)
        {
            return $"not analysed yet: {result.SkipMessage}";
        }
        if (result.IsSkipped)
        {
            return $"not analysed, so never repaired: {result.SkipMessage ?? result.SkipReason.ToString()}";
        }
        if (problems.Count == 0 || problems.Any(p => p.Status == "repairing"))
        {
            return "";
        }
        if (context.GlobalRecoveriesDisabled == true)
        {
            return "recoveries are disabled globally: problems are detected and shown, not repaired";
        }
        var reason = problems.FirstOrDefault(p => p.Status is not ("pending" or "repaired")) ?? problems[0];
        return reason.Status switch
        {
            "pending" => $"{reason.Analysis} on {reason.Alias}: detected, the next recovery tick decides what to do",
            _ => $"{reason.Analysis} on {reason.Alias}: {reason.Status}: {reason.StatusText}",
        };
    }

    public static AntiFlappingJson AntiFlapping(CompletedRecoveryRecord? last, TimeSpan block, DateTimeOffset now)
    {
        if (last is null)
        {
            return new AntiFlappingJson(block.TotalSeconds, 0, "", null, false, null);
        }
        var until = last.EndRecovery + block;
        bool holds = block > TimeSpan.Zero && !last.IsAcknowledged && until > now;
        return new AntiFlappingJson(block.TotalSeconds, last.RecoveryId, last.Analysis, last.EndRecovery, last.IsAcknowledged, holds ? until : null);
    }

    private static TabletJson Tablet(ReplicationTreeRow row, ShardRecord shard, IEnumerable<string> codes, AnalysisSettings settings, FleetContext context)
    {
        var tablet = row.Tablet;
        var o = row.Observation;
        var problems = codes.ToList();
        if (o is not null)
        {
            problems.AddRange(InstanceProblems.Of(o, settings, context.Now));
            if (o.IsDiskStalled)
            {
                problems.Add("disk_stalled");
            }
        }
        string sourceOutside = o is not null && row.Source is null && !o.ReplicatesFromNobody ? $"{o.SourceHost}:{o.SourcePort}" : "";
        return new TabletJson(
            tablet.Alias,
            tablet.Cell,
            tablet.Type.ToName(),
            o is not null && o.CurrentTabletType != tablet.Type ? o.CurrentTabletType.ToName() : "",
            tablet.Alias == shard.PrimaryAlias,
            row.Depth,
            row.Source?.Alias ?? "",
            sourceOutside,
            $"{tablet.MysqlHostname}:{tablet.MysqlPort}",
            o?.LastCheckSucceeded,
            o?.LastSeen,
            context.PollErrors.GetValueOrDefault(tablet.Alias) ?? "",
            o?.ReadOnly,
            o?.SuperReadOnly,
            Thread(o?.ReplicationIoThreadState),
            Thread(o?.ReplicationSqlThreadState),
            o is null ? "" : string.Join("; ", new[] { o.LastIoError, o.LastSqlError }.Where(e => e.Length != 0)),
            o?.ReplicationLagSeconds,
            o?.ExecutedGtidSet ?? "",
            o?.GtidErrant ?? "",
            o is null ? null : new SemiSyncJson(o.SemiSyncPrimaryEnabled, o.SemiSyncPrimaryStatus, o.SemiSyncPrimaryClients,
                o.SemiSyncPrimaryWaitForReplicaCount, o.SemiSyncReplicaEnabled, o.SemiSyncReplicaStatus, o.SemiSyncBlocked),
            problems);
    }

    private static string Thread(ReplicationThreadState? state) => state switch
    {
        ReplicationThreadState.Running => "running",
        ReplicationThreadState.Stopped => "stopped",
        ReplicationThreadState.Connecting => "connecting",
        _ => "",
    };
}
