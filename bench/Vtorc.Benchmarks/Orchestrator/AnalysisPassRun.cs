using System.Diagnostics;
using System.Globalization;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Benchmarks.Orchestrator;

/// <summary>
/// <c>analysis-pass [--tablets N] [--passes P]</c>: the recovery tick's analysis pass (snapshots of every shard from a
/// synthetic <see cref="Vtorc.Orchestrator.Discovery.DiscoveryState"/>, then the detection analysis), P times, with one
/// tablet per shard re-polled between passes. Reports the wall time per pass (p50/p99/max) and the process CPU time
/// per pass, which a loaded shared machine distorts less than wall time. Target (issue 14): ≤ 20 ms at 10,000 tablets.
/// </summary>
internal static class AnalysisPassRun
{
    public static Task<int> RunAsync(string[] args)
    {
        int tablets = 10_000, passes = 200;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tablets" when i + 1 < args.Length:
                    tablets = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--passes" when i + 1 < args.Length:
                    passes = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"analysis-pass: unknown argument \"{args[i]}\" (use --tablets N --passes P)");
                    return Task.FromResult(2);
            }
        }
        if (tablets < SyntheticShards.TabletsPerShard || passes < 1)
        {
            Console.Error.WriteLine($"analysis-pass: --tablets must be at least {SyntheticShards.TabletsPerShard} and --passes at least 1");
            return Task.FromResult(2);
        }

        var shards = SyntheticShards.Build(tablets);
        var state = SyntheticFleetState.Create(shards);
        var policies = DurabilityPolicyRegistry.CreateDefault();
        var settings = AnalysisSettings.Default;
        for (int warmup = 0; warmup < 5; warmup++)
        {
            DetectionAnalyzer.AnalyzeAll(state.Snapshots(policies), settings, SyntheticShards.Now);
        }

        var wall = new double[passes];
        var process = Process.GetCurrentProcess();
        var cpu = TimeSpan.Zero;
        int problems = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            SyntheticFleetState.PollOneTabletPerShard(state, shards, TimeSpan.FromMilliseconds(pass + 1));
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            long started = Stopwatch.GetTimestamp();
            var results = DetectionAnalyzer.AnalyzeAll(state.Snapshots(policies), settings, SyntheticShards.Now);
            wall[pass] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuBefore;
            problems = results.Sum(r => r.Analyses.Count);
        }
        Array.Sort(wall);
        double Quantile(double q) => wall[Math.Min(wall.Length - 1, (int)Math.Ceiling(q * wall.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analysis-pass: tablets={tablets} shards={shards.Count} passes={passes} rows={problems} "
            + $"wall_p50_ms={Quantile(0.5):F2} wall_p99_ms={Quantile(0.99):F2} wall_max_ms={wall[^1]:F2} "
            + $"cpu_ms_per_pass={cpu.TotalMilliseconds / passes:F2}"));
        return Task.FromResult(0);
    }
}
