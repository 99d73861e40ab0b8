using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// One chaos run: a fresh cluster, the checker (ledger writer and read_only sampler) running throughout, a schedule of
/// faults each held, healed and followed by a bounded wait for a healthy shard, then the final checks against the
/// final primary: lost acknowledged rows, two-writable time, no healthy primary, diverged servers.
/// </summary>
internal sealed class ChaosRun(int run, string durability, IReadOnlyList<FaultKind> schedule, Random random, ChaosNames names, Action<string> progress)
{
    private static readonly TimeSpan ElectionBound = TimeSpan.FromSeconds(120);

    /// <summary>How long a healed shard may take to be healthy again before it counts as unhealed.</summary>
    public static readonly TimeSpan HealBound = TimeSpan.FromSeconds(90);

    private const int Tablets = 3;

    // A write waiting on semi-sync acknowledgements blocks; the writer gives up after this and tries elsewhere (not acknowledged).
    private static readonly TimeSpan LedgerWriteTimeout = TimeSpan.FromSeconds(2);

    // A steady trickle of writes, not a flood: 2 cores are shared with the cluster.
    private static readonly TimeSpan LedgerPause = TimeSpan.FromMilliseconds(20);

    // The checker's timing (docs/reliability.md, "The checker").
    private static readonly ReadOnlySamplerOptions SamplerTiming = new()
    {
        Interval = TimeSpan.FromMilliseconds(100),
        AnswerWait = TimeSpan.FromMilliseconds(300),
        ReadTimeout = TimeSpan.FromSeconds(1),
    };

    private int _currentFault = -1;

    public async Task<RunResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<FaultOutcome>();
        var details = new List<string>();
        await using var cluster = await ChaosCluster.StartAsync(names, durability, Tablets, line => progress($"  setup: {line}"), cancellationToken)
            .ConfigureAwait(false);
        var primary = await cluster.WaitHealthyAsync(ElectionBound, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"the orchestrators elected no healthy primary within {ElectionBound.TotalSeconds:0} s (logs in {cluster.State.Directory})");
        await ChaosCluster.BootstrapAsync(primary, cancellationToken).ConfigureAwait(false);
        await WaitReplicatedAsync(cluster, cancellationToken).ConfigureAwait(false);
        progress($"  setup: primary {primary.Alias}, durability {durability}; checker starts");

        // The ledger's phase and the sampler's phase are the index of the fault that was current (-1: none yet).
        await using var writer = new LedgerWriter(
            [.. cluster.Servers.Select(s => new CheckedServer(s.Alias, s.App(LedgerWriteTimeout)))], "chaos.ledger", "server",
            new LedgerWriterOptions
            {
                AttemptDeadline = LedgerWriteTimeout * 2,
                PauseAfterAcknowledgement = LedgerPause,
                PauseAfterFailure = LedgerPause,
                CurrentPhase = () => Volatile.Read(ref _currentFault),
            });
        var injector = new FaultInjector(cluster, random);
        // Root over the socket, reading only; a server the fault cuts off from the orchestrators is left out until healed.
        await using var sampler = new ReadOnlySampler(
            [.. cluster.Servers.Select(s => new CheckedServer(s.Alias, s.Root(SamplerTiming.ReadTimeout)))],
            SamplerTiming with { CurrentPhase = () => Volatile.Read(ref _currentFault), LeftOut = () => injector.CutOffFromOrchestrators });
        await using var waits = new SemiSyncWaitSampler(cluster.Servers, () => Volatile.Read(ref _currentFault));
        writer.Start();
        sampler.Start();
        if (durability != "none")
        {
            waits.Start();
        }
        var fallbacks = new SemiSyncFallbacks(cluster.Servers);
        // The schema and account were written right after the election; what they did is reported, not counted.
        var beforeChecker = await fallbacks.SampleAsync(cancellationToken).ConfigureAwait(false);
        if (beforeChecker > 0)
        {
            details.Add($"{beforeChecker} bootstrap commits right after the election completed without a replica's semi-sync acknowledgement (not counted)");
        }
        ChaosServer? finalPrimary = primary;
        try
        {
            for (var i = 0; i < schedule.Count; i++)
            {
                var before = await cluster.TopoPrimaryAsync(cancellationToken).ConfigureAwait(false);
                var (what, hold) = await injector.InjectAsync(schedule[i], before, cancellationToken).ConfigureAwait(false);
                var outcome = new FaultOutcome(schedule[i], what);
                outcomes.Add(outcome);
                Volatile.Write(ref _currentFault, i);
                progress($"  fault {i + 1}/{schedule.Count} {schedule[i]}: {what}; holding {hold.TotalSeconds:0.0} s");
                await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
                outcome.UnacknowledgedCommits += await fallbacks.SampleAsync(cancellationToken).ConfigureAwait(false);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                await injector.HealAllAsync(cancellationToken).ConfigureAwait(false);
                finalPrimary = await cluster.WaitHealthyAsync(HealBound, cancellationToken).ConfigureAwait(false);
                outcome.Recovered = finalPrimary is not null;
                outcome.PrimaryChanged = finalPrimary is not null && finalPrimary != before;
                progress(finalPrimary is null
                    ? $"    healed; NO healthy primary within {HealBound.TotalSeconds:0} s"
                    : $"    healed; healthy {clock.Elapsed.TotalSeconds:0.0} s after healing began (restarts included), primary {finalPrimary.Alias}{(outcome.PrimaryChanged ? " (changed)" : "")}; "
                      + $"acked rows so far {writer.Acknowledged.Count.ToString(CultureInfo.InvariantCulture)}");
                if (finalPrimary is null)
                {
                    break;
                }
            }
            // A last stretch of writes on the healed shard, so a primary that accepts writes but lost the earlier ones shows.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            var late = await fallbacks.SampleAsync(cancellationToken).ConfigureAwait(false);
            if (outcomes.Count > 0)
            {
                outcomes[^1].UnacknowledgedCommits += late;
            }
        }
        finally
        {
            await writer.StopAsync().ConfigureAwait(false);
            await sampler.StopAsync().ConfigureAwait(false);
            await waits.StopAsync().ConfigureAwait(false);
        }
        foreach (var (fault, ms) in waits.MsByFault)
        {
            if (fault >= 0)
            {
                outcomes[fault].AsyncWritableMs += ms;
            }
        }
        details.AddRange(waits.Episodes);

        foreach (var (fault, ms) in sampler.TwoWritableMsByPhase)
        {
            if (fault >= 0)
            {
                outcomes[fault].TwoWritableMs += ms;
            }
        }
        details.AddRange(sampler.Episodes);
        finalPrimary ??= await cluster.TopoPrimaryAsync(cancellationToken).ConfigureAwait(false);
        var lost = finalPrimary is null ? [] : await LostRowsAsync(finalPrimary, writer, cancellationToken).ConfigureAwait(false);
        foreach (var id in lost)
        {
            var fault = writer.Acknowledged[id].Phase;
            if (fault >= 0)
            {
                outcomes[fault].LostAckedRows++;
            }
        }
        if (lost.Count > 0)
        {
            details.Add($"lost acknowledged rows: {lost.Count} (e.g. id {lost[0]} acknowledged by {writer.Acknowledged[lost[0]].Server})");
        }
        var diverged = finalPrimary is null ? 0 : await DivergedAsync(cluster, finalPrimary, details, cancellationToken).ConfigureAwait(false);
        var unhealed = await cluster.HealthyPrimaryAsync(cancellationToken).ConfigureAwait(false) is null ? 1 : 0;
        var result = new RunResult(run, outcomes)
        {
            AcknowledgedRows = writer.Acknowledged.Count,
            LostAckedRows = lost.Count,
            TwoWritableMs = sampler.TwoWritableMsByPhase.Values.Sum(),
            UnhealedShards = unhealed,
            DivergedServers = diverged,
            UnacknowledgedCommits = fallbacks.Total - beforeChecker,
            AsyncWritableMs = waits.MsByFault.Values.Sum(),
            Details = details,
        };
        if (ChaosVerdict.Violations(result, durability).Count > 0)
        {
            details.Add($"logs kept in {ChaosLogs.Keep(cluster.State.Directory, names, run)}");
        }
        return result;
    }

    /// <summary>Waits until every server has the checker's account (bootstrap replicated everywhere).</summary>
    internal static async Task WaitReplicatedAsync(ChaosCluster cluster, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var server in cluster.Servers)
        {
            while (true)
            {
                try
                {
                    using var connection = await MySqlCalls.OpenAsync(server.Root(TimeSpan.FromSeconds(2)), cancellationToken).ConfigureAwait(false);
                    var row = (await connection.QueryAsync($"SELECT COUNT(*) FROM mysql.user WHERE user = '{ChaosServer.AppUser}'", cancellationToken)
                        .ConfigureAwait(false)).SingleRowOrDefault();
                    if (row?[0] == "1")
                    {
                        break;
                    }
                }
                catch (MySqlCallException) when (DateTime.UtcNow < deadline)
                {
                    // Not ready yet: poll again.
                }
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"the checker's account did not replicate to {server.Alias} within 60 s");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Acknowledged ids the final primary does not have, in id order.</summary>
    private static async Task<List<long>> LostRowsAsync(ChaosServer primary, LedgerWriter writer, CancellationToken cancellationToken)
    {
        using var connection = await MySqlCalls.OpenAsync(primary.Root(TimeSpan.FromSeconds(30)), cancellationToken).ConfigureAwait(false);
        var present = (await connection.QueryAsync("SELECT id FROM chaos.ledger", cancellationToken).ConfigureAwait(false)).Rows
            .Select(r => long.Parse(r[0]!, CultureInfo.InvariantCulture)).ToHashSet();
        return writer.Acknowledged.Keys.Where(id => !present.Contains(id)).Order().ToList();
    }

    /// <summary>
    /// Servers holding transactions the final primary lacks (gtid_binlog_state per domain and server_id), or whose
    /// replication stopped with MariaDB error 1236. A server that cannot be read is not counted (the shard is then unhealed).
    /// </summary>
    private static async Task<int> DivergedAsync(ChaosCluster cluster, ChaosServer primary, List<string> details, CancellationToken cancellationToken)
    {
        var primaryState = await ServerState.ReadAsync(primary, cancellationToken).ConfigureAwait(false);
        if (primaryState is null)
        {
            details.Add($"final primary {primary.Alias} could not be read for the divergence check");
            return 0;
        }
        var diverged = 0;
        foreach (var server in cluster.Servers.Where(s => s != primary))
        {
            if (await ServerState.ReadAsync(server, cancellationToken).ConfigureAwait(false) is not { } state)
            {
                continue;
            }
            var extra = GtidBinlogState.Extra(state.GtidBinlogState, primaryState.GtidBinlogState);
            if (extra.Count > 0 || state.Replica is { Diverged: true })
            {
                diverged++;
                details.Add($"diverged: {server.Alias} has {(extra.Count > 0 ? string.Join(",", extra) : "nothing extra")} that primary {primary.Alias} "
                    + $"({primaryState.GtidBinlogState}) lacks{(state.Replica is { Diverged: true } r ? $"; replication error: {r.LastError}" : "")}");
            }
        }
        return diverged;
    }
}
