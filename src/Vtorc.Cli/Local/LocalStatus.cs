using System.Globalization;
using Vtorc.LocalCluster;

namespace Vtorc.Cli.Local;

/// <summary>
/// <c>vtorc local status</c>: per shard the primary the topology names and, per tablet, its type, whether mysqld and the
/// agent run, read-only, whom it replicates from (threads, lag), then the problems the daemon sees right now.
/// </summary>
internal static class LocalStatus
{
    public static async Task<int> RunAsync(string dir, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var state = await LocalStateFile.LoadRunningAsync(dir, "status", error).ConfigureAwait(false);
        if (state is null)
        {
            return 1;
        }
        await output.WriteLineAsync($"work directory: {dir}").ConfigureAwait(false);
        foreach (var record in state.Processes.Where(p => p.Kind is LocalProcessKinds.Etcd or LocalProcessKinds.Daemon))
        {
            var extra = record.Kind == LocalProcessKinds.Etcd ? state.EtcdEndpoint
                : state.HttpPort == 0 ? "no HTTP" : LocalUp.StatusUrl(state.HttpPort);
            await output.WriteLineAsync($"{record.Name,-6} pid {record.Pid,-8} {(record.IsAlive ? "running" : "NOT RUNNING"),-12} {extra}").ConfigureAwait(false);
        }

        await using var topo = LocalUp.OpenTopo(state);
        var inspector = new ShardInspector(state, topo);
        foreach (var shard in state.Shards)
        {
            string primary;
            try
            {
                primary = await inspector.ShardPrimaryAsync(shard, cancellationToken).ConfigureAwait(false) ?? "none";
            }
            catch (Exception e) when (e is Topo.TopoException or Protocol.Etcd.EtcdException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                primary = $"unknown (topology at {state.EtcdEndpoint} unreachable: {e.Message.ReplaceLineEndings(" ")})";
            }
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"shard {state.Keyspace}/{shard}: primary {primary}").ConfigureAwait(false);
            await output.WriteLineAsync($"  {"ALIAS",-18} {"TYPE",-8} {"MYSQLD",-18} {"AGENT",-18} {"READ-ONLY",-9} {"REPLICATES FROM",-18} {"IO/SQL",-15} LAG")
                .ConfigureAwait(false);
            foreach (var t in await inspector.ObserveAsync(shard, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(FormatRow(t)).ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        if (state.HttpPort == 0)
        {
            await output.WriteLineAsync("problems: unknown (the daemon runs without HTTP: --port 0)").ConfigureAwait(false);
            return 0;
        }
        var (problems, problemError) = await DetectionAnalysisClient.ReadAsync(state.HttpPort, cancellationToken).ConfigureAwait(false);
        if (problems is null)
        {
            await output.WriteLineAsync($"problems: unknown ({problemError})").ConfigureAwait(false);
        }
        else if (problems.Count == 0)
        {
            await output.WriteLineAsync($"problems: none (from {DetectionAnalysisClient.Url(state.HttpPort)})").ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync($"problems (from {DetectionAnalysisClient.Url(state.HttpPort)}):").ConfigureAwait(false);
            var attempts = await RecoveryAttemptsClient.ReadAsync(state.HttpPort, cancellationToken).ConfigureAwait(false);
            foreach (var p in problems)
            {
                await output.WriteLineAsync($"  {p.Alias} ({p.Keyspace}/{p.Shard}): {p.Analysis}{(p.Description.Length > 0 ? " - " + p.Description : "")}")
                    .ConfigureAwait(false);
                if (attempts.TryGetValue((p.Alias, p.Analysis), out var attempt))
                {
                    // Why it is still there: disabled, held by the anti-flapping block, locked elsewhere, failed.
                    var outcome = attempt.Reason.Length > 0 ? $"{attempt.Outcome} ({attempt.Reason})" : attempt.Outcome;
                    await output.WriteLineAsync($"      latest recovery attempt: {outcome}: {attempt.Message}").ConfigureAwait(false);
                }
            }
        }
        return 0;
    }

    private static string FormatRow(TabletObservation t)
    {
        var mysqld = t.MySqldPid is { } pid ? $"pid {pid.ToString(CultureInfo.InvariantCulture)} {(t.MySqldAlive ? "alive" : "DEAD")}" : "-";
        var agent = t.AgentPid is { } apid ? $"pid {apid.ToString(CultureInfo.InvariantCulture)} {(t.AgentAlive ? "alive" : "DEAD")}" : "-";
        var readOnly = t.ReadOnly switch { true => "yes", false => "no", null => "?" };
        var from = t.ReplicatesFrom ?? "-";
        var threads = t.ReplicatesFrom is null ? "-" : $"{t.IoThread}/{t.SqlThread}";
        var lag = t.ReplicatesFrom is null ? "-" : string.IsNullOrEmpty(t.LagSeconds) ? "NULL" : t.LagSeconds + "s";
        var row = $"  {t.Alias,-18} {t.TopoType ?? "?",-8} {mysqld,-18} {agent,-18} {readOnly,-9} {from,-18} {threads,-15} {lag}";
        return t.MySqlError is { } problem && t.MySqldAlive ? $"{row}  (mysqld: {problem})" : row;
    }
}
