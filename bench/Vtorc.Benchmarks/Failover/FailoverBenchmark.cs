using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Benchmarks.Failover;

/// <summary>
/// Failover time on a real 3-tablet shard (etcd, three MariaDB servers, their agents) watched by our daemon: SIGKILL
/// the primary's mysqld and measure (a) detection: kill → the daemon records DeadPrimary (its detection row), and
/// (b) total: kill → the shard record names a new primary, it is writable and every other replica replicates from it
/// with both threads running (read from the topology and MySQL every 10 ms). Every run starts from a fresh cluster whose first primary the daemon elected.
/// Usage: <c>failover [--runs N] [--poll 1s,5s] [--verbose]</c>.
/// </summary>
public static class FailoverBenchmark
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);

    private static bool s_verbose;

    public static async Task<int> RunAsync(string[] args)
    {
        s_verbose = args.Contains("--verbose");
        int runs = int.Parse(Arg(args, "--runs", "10"), CultureInfo.InvariantCulture);
        var polls = Arg(args, "--poll", "1s,5s").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => TimeSpan.FromSeconds(double.Parse(p.TrimEnd('s'), CultureInfo.InvariantCulture))).ToArray();
        Console.WriteLine($"failover benchmark: {runs} runs per setting, --instance-poll-time {string.Join(" and ", polls.Select(Text))}; " +
            "other flags at their defaults (--recovery-poll-duration 1s)");

        var summaries = new List<string>();
        foreach (var poll in polls)
        {
            var detection = new List<double>();
            var total = new List<double>();
            for (int run = 1; run <= runs; run++)
            {
                Console.Write($"[poll {Text(poll)}] run {run}/{runs}: starting cluster… ");
                var (d, t) = await RunOnceAsync(poll);
                detection.Add(d.TotalSeconds);
                total.Add(t.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detection {d.TotalSeconds:0.000} s, total {t.TotalSeconds:0.000} s"));
            }
            summaries.Add(Summary($"poll {Text(poll)} detection", detection));
            summaries.Add(Summary($"poll {Text(poll)} total", total));
        }

        Console.WriteLine();
        Console.WriteLine("case                      runs    min      p50      p95      max   (seconds)");
        foreach (var line in summaries)
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    private static async Task<(TimeSpan Detection, TimeSpan Total)> RunOnceAsync(TimeSpan poll)
    {
        // --verbose shows the daemon's decisions with timestamps, to see where the time of a failover goes.
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(s_verbose ? LogLevel.Information : LogLevel.Warning)
            .AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "HH:mm:ss.fff "; }));
        await using var cluster = await AgentCluster.StartAsync(3, NullLoggerFactory.Instance, cancellationToken: Deadline());
        await using var topo = TopoServer.Open(new TopoServerOptions { GlobalServerAddresses = [cluster.Etcd.Endpoint], GlobalRoot = cluster.GlobalRoot });
        using var client = new GrpcTabletManagerClient();
        using var metrics = new VtorcMetrics();
        var options = new OrchestratorOptions
        {
            Discovery = new DiscoverySettings { InstancePollTime = poll },
            Recovery = Vtorc.Orchestrator.Recovery.RecoverySettings.Default with { Analysis = AnalysisSettings.Default with { InstancePollTime = poll } },
        };
        await using var daemon = await OrchestratorDaemon.StartAsync(topo, client, options, metrics, loggers, TimeProvider.System, Deadline());

        Console.Write("waiting for the daemon to elect a primary… ");
        var primary = await WaitAsync(() => cluster.HealthyPrimaryAsync(), "a first primary");
        await primary.ExecuteAsync("CREATE DATABASE IF NOT EXISTS bench");
        await primary.ExecuteAsync("CREATE TABLE bench.t (id BIGINT PRIMARY KEY)");
        await primary.ExecuteAsync("INSERT INTO bench.t VALUES (1)");
        // Polls of a healthy shard have settled (every tablet seen at least twice since the election); the random part
        // puts the kill at a random point of the poll cycle, as a real failure would be, instead of always the same one.
        await Task.Delay(poll * 2 + poll * Random.Shared.NextDouble());

        Console.Write($"SIGKILL mysqld of {primary.AliasText} at {DateTime.Now:HH:mm:ss.fff}… ");
        var killedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        primary.Server.Kill();
        var newPrimary = await WaitAsync(() => cluster.HealthyPrimaryAsync(primary), "a new primary followed by the other replica");
        var total = clock.Elapsed;
        _ = newPrimary;

        DateTimeOffset? detectedAt = null;
        await WaitAsync(async () => (detectedAt = await DetectionTimeAsync(daemon, killedAt)) is not null ? primary : null, "the DeadPrimary detection row");
        return (detectedAt!.Value - killedAt, total);
    }

    /// <summary>The time of the first DeadPrimary detection the daemon recorded after the kill.</summary>
    private static async Task<DateTimeOffset?> DetectionTimeAsync(OrchestratorDaemon daemon, DateTimeOffset after)
    {
        var tables = await daemon.Store.DatabaseStateAsync(Deadline());
        return tables.Single(t => t.TableName == "recovery_detection").Rows
            .Where(r => r["analysis"] == AnalysisCodes.DeadPrimary)
            .Select(r => StoreTime.Parse(r["detection_timestamp"]))
            .Where(t => t >= after)
            .Order()
            .Cast<DateTimeOffset?>()
            .FirstOrDefault();
    }

    private static async Task<AgentMember> WaitAsync(Func<Task<AgentMember?>> probe, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < RunDeadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"no {what} within {RunDeadline.TotalSeconds:0} s");
    }

    private static string Summary(string name, List<double> values)
    {
        var sorted = values.Order().ToArray();
        double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-25} {sorted.Length,4}  {sorted[0],7:0.000}  {Percentile(0.5),7:0.000}  {Percentile(0.95),7:0.000}  {sorted[^1],7:0.000}");
    }

    private static string Text(TimeSpan t) => $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;
}
