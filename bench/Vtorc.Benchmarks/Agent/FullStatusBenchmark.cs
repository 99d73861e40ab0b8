using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Tabletmanagerdata;
using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Benchmarks.Agent;

/// <summary>
/// Latency of the agent's FullStatus against a real MariaDB: a 2-tablet shard (etcd, two MariaDB servers, their
/// agents in this process), FullStatus of the replica called through <see cref="GrpcTabletManagerClient"/> as the
/// daemon's poller calls it, for each caller count. This is the call the orchestrator makes to every tablet on every
/// poll, so it is the agent's hot path (gRPC in, a handful of MySQL queries, gRPC out).
/// Arguments: [--duration SECONDS (5)] [--callers 1,8] [--warmup SECONDS (1)].
/// </summary>
public static class FullStatusBenchmark
{
    private sealed record Result(int Callers, long Calls, double Seconds, double P50Ms, double P99Ms, double MaxMs);

    public static async Task<int> RunAsync(string[] args)
    {
        var duration = TimeSpan.FromSeconds(double.Parse(Arg(args, "--duration", "5"), CultureInfo.InvariantCulture));
        var warmup = TimeSpan.FromSeconds(double.Parse(Arg(args, "--warmup", "1"), CultureInfo.InvariantCulture));
        var callerCounts = Arg(args, "--callers", "1,8").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();

        Console.WriteLine("fullstatus benchmark: starting etcd and a 2-tablet shard (MariaDB + agent each)…");
        await using var cluster = await AgentCluster.StartAsync(2, NullLoggerFactory.Instance);
        // The first member becomes primary and the second replicates from it, as after an election.
        await cluster[0].CallAsync<InitPrimaryRequest, InitPrimaryResponse>("InitPrimary", new InitPrimaryRequest());
        await cluster[1].CallAsync<SetReplicationSourceRequest, SetReplicationSourceResponse>("SetReplicationSource",
            new SetReplicationSourceRequest { Parent = cluster[0].Alias, ForceStartReplication = true });
        var replica = await cluster[1].TabletRecordAsync();
        using var client = new GrpcTabletManagerClient();
        Console.WriteLine($"FullStatus of {cluster[1].AliasText} (a replica), {duration.TotalSeconds:0.#} s per caller count");

        var results = new List<Result>();
        foreach (var callers in callerCounts)
        {
            await RunScenarioAsync(client, replica, callers, warmup, progress: false);
            results.Add(await RunScenarioAsync(client, replica, callers, duration, progress: true));
        }

        Console.WriteLine();
        Console.WriteLine("| callers | calls | calls/s | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|--------:|------:|--------:|-------:|-------:|-------:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Callers} | {r.Calls} | {r.Calls / r.Seconds:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.00} |"));
        }
        return 0;
    }

    private static async Task<Result> RunScenarioAsync(GrpcTabletManagerClient client, Tablet tablet, int callers, TimeSpan duration, bool progress)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>[callers];
        var begin = Stopwatch.GetTimestamp();

        async Task CallerAsync(int index)
        {
            var mine = latencies[index] = new List<long>(1 << 14);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                var status = await client.FullStatusAsync(tablet, CancellationToken.None, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                mine.Add(Stopwatch.GetTimestamp() - t0);
                if (status.ReplicationStatus is null)
                {
                    throw new InvalidOperationException("FullStatus of the replica carried no replication status");
                }
            }
        }

        var workers = Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(() => CallerAsync(i))));
        while (progress && !workers.IsCompleted)
        {
            await Task.WhenAny(workers, Task.Delay(TimeSpan.FromSeconds(1)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  callers={callers}: {Stopwatch.GetElapsedTime(begin).TotalSeconds:0.0} s, {latencies.Sum(l => l?.Count ?? 0)} calls"));
        }
        await workers;
        var seconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? 0 : Ms(all[Math.Min(all.Length - 1, (int)(p * all.Length))]);
        return new Result(callers, all.Length, seconds, Percentile(0.50), Percentile(0.99), all.Length == 0 ? 0 : Ms(all[^1]));
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
