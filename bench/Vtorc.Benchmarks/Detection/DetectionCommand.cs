using System.Diagnostics;
using System.Globalization;
using Vtorc.Benchmarks.Chaos;
using Vtorc.LocalCluster;
using Vtorc.LocalCluster.Network;

namespace Vtorc.Benchmarks.Detection;

/// <summary>
/// <c>detection --fault kill-mysqld|kill-host|silent-host --runs N --poll 5s [--vtorc-args "…"]</c>: failover time
/// measured from outside on a real semi_sync shard (<see cref="DetectionShard"/>, one orchestrator daemon): fault on
/// the primary → one survivor takes an unprivileged INSERT and the other replicates from it (<see cref="FailoverProbe"/>).
/// The shard is reset between runs (started afresh when a reset does not heal it). One line per run, then
/// min/p50/p95/max. Exit code 0 when every run failed over, 1 otherwise, 2 for bad arguments or no root.
/// </summary>
public static class DetectionCommand
{
    private const string Usage = "usage: detection --fault kill-mysqld|kill-host|silent-host [--runs N] [--poll 5s] [--vtorc-args \"--flag=value …\"]";

    // No failover within this is a failed run (the daemon's log is kept).
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ResetBound = TimeSpan.FromSeconds(90);

    // How long the report waits for the daemon's recoveries to end once the shard works again.
    private static readonly TimeSpan RecoveryEndWait = TimeSpan.FromSeconds(30);

    // Probe rows get ids far above the application's, which count up from 1.
    private const long ProbeIdBase = 1_000_000_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        DetectionFault fault;
        int runs;
        TimeSpan poll;
        IReadOnlyList<string> vtorcArgs;
        try
        {
            fault = DetectionFaults.Parse(BenchArguments.Value(args, "--fault", "kill-mysqld"));
            runs = BenchArguments.PositiveInt(args, "--runs", "10");
            poll = BenchArguments.Duration(args, "--poll", "5s");
            vtorcArgs = BenchArguments.PassThrough(args, "--vtorc-args");
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"detection: {e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        if (!await RootCheck.PassesAsync("detection").ConfigureAwait(false))
        {
            return 2;
        }

        using var interruption = new BenchInterruption("detection");
        var names = new ChaosNames(Environment.ProcessId);
        await LeftoverSweep.RunAsync(line => Console.WriteLine($"detection: {line}"), interruption.Token).ConfigureAwait(false);
        var setting = $"{DetectionFaults.Name(fault)} poll {BenchArguments.Seconds(poll)}" + (vtorcArgs.Count > 0 ? $" {string.Join(' ', vtorcArgs)}" : "");
        Console.WriteLine($"detection: {setting}; {runs} runs; one orchestrator (--instance-poll-time {BenchArguments.Seconds(poll)}"
            + (vtorcArgs.Count > 0 ? $" {string.Join(' ', vtorcArgs)}" : "") + "), semi_sync shard of 3 tablets in namespaces; "
            + $"failover = fault -> one survivor takes an unprivileged INSERT and the other replicates from it, sampled every {FailoverProbe.Interval.TotalMilliseconds:0} ms");

        var daemons = new ChaosDaemonSettings { Count = 1, InstancePollTime = poll, ExtraArguments = vtorcArgs };
        var times = new List<double>();
        var failed = 0;
        DetectionShard? shard = null;
        try
        {
            for (var run = 1; run <= runs && !interruption.IsInterrupted; run++)
            {
                var prefix = $"[{setting}] run {run}/{runs}";
                try
                {
                    shard = await ReadyShardAsync(shard, names, daemons, line => Console.WriteLine($"  {line}"), interruption.Token).ConfigureAwait(false);
                    // Every tablet polled (and subscribed to) at least twice since the shard became healthy, then the
                    // fault at a random point of the poll cycle, as a real failure would fall.
                    await Task.Delay(poll * 2 + poll * Random.Shared.NextDouble(), interruption.Token).ConfigureAwait(false);
                    var primary = await shard.Cluster.HealthyPrimaryAsync(interruption.Token).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("the shard was no longer healthy when the fault was due");
                    var survivors = shard.Cluster.Servers.Where(s => s != primary).ToArray();
                    await using var probe = new FailoverProbe(survivors[0], survivors[1], ProbeIdBase + (run * 1_000_000L));
                    var faultAt = DateTimeOffset.UtcNow;
                    var clock = Stopwatch.StartNew();
                    var what = await InjectAsync(shard.Cluster, fault, primary, interruption.Token).ConfigureAwait(false);
                    var injected = clock.Elapsed;
                    var outcome = await probe.WaitAsync(clock, FailoverBound, interruption.Token).ConfigureAwait(false);
                    var recoveries = await DaemonRecoveries.EndedSinceAsync(shard.Cluster.Orchestrators.Values.Single(), faultAt, RecoveryEndWait, interruption.Token).ConfigureAwait(false);
                    var daemon = recoveries.Count == 0 ? "daemon recorded no recovery" : "daemon: " + string.Join("; ", recoveries.Select(r => r.Describe(faultAt)));
                    if (outcome is { } done)
                    {
                        times.Add(done.Elapsed.TotalSeconds);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{prefix}: {what} at {faultAt:HH:mm:ss.fff} UTC (injected in {injected.TotalMilliseconds:0} ms) -> {done.Primary.Alias} writable, "
                            + $"other replicating: {done.Elapsed.TotalSeconds:0.000} s ({probe.Samples} samples); {daemon}"));
                    }
                    else
                    {
                        failed++;
                        Console.WriteLine($"{prefix}: {what} at {faultAt:HH:mm:ss.fff} UTC -> NO failover within {FailoverBound.TotalSeconds:0} s; {daemon}; "
                            + $"logs kept in {shard.KeepLogs(names, run)}");
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException && !interruption.IsInterrupted)
                {
                    failed++;
                    Console.WriteLine($"{prefix}: FAILED: {e.GetType().Name}: {e.Message}");
                    if (shard is not null)
                    {
                        Console.WriteLine($"  logs kept in {shard.KeepLogs(names, run)}; starting a fresh shard for the next run");
                        await shard.DisposeAsync().ConfigureAwait(false);
                        shard = null;
                    }
                }
            }
            if (shard is not null)
            {
                Console.WriteLine($"detection: logs of the last shard kept in {shard.KeepLogs(names, runs)}; application writes acknowledged "
                    + $"{shard.WritesAcknowledged}, failed {shard.WritesFailed}");
            }
        }
        finally
        {
            if (shard is not null)
            {
                await shard.DisposeAsync().ConfigureAwait(false);
            }
        }

        Console.WriteLine();
        Console.WriteLine("setting                                                   runs  failed    min      p50      p95      max   (seconds)");
        Console.WriteLine(LatencySummary.Line(setting, times, failed));
        return failed == 0 && !interruption.IsInterrupted ? 0 : 1;
    }

    /// <summary>The shard of the previous run reset to health, or a fresh one when there is none or the reset did not heal it.</summary>
    private static async Task<DetectionShard> ReadyShardAsync(DetectionShard? shard, ChaosNames names, ChaosDaemonSettings daemons, Action<string> progress,
        CancellationToken cancellationToken)
    {
        if (shard is not null)
        {
            if (await shard.ResetAsync(ResetBound, cancellationToken).ConfigureAwait(false))
            {
                return shard;
            }
            progress($"no healthy shard within {ResetBound.TotalSeconds:0} s of healing; logs kept in {shard.KeepLogs(names, 0)}; starting a fresh one");
            await shard.DisposeAsync().ConfigureAwait(false);
        }
        progress("starting a shard: etcd, 3 MariaDB + agents in namespaces, one orchestrator");
        var fresh = await DetectionShard.StartAsync(names, daemons, line => progress($"setup: {line}"), cancellationToken).ConfigureAwait(false);
        progress($"setup: primary {fresh.Primary.Alias}; application writing");
        return fresh;
    }

    private static async Task<string> InjectAsync(ChaosCluster cluster, DetectionFault fault, ChaosServer primary, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case DetectionFault.KillMysqld:
                await DetachedProcess.KillAsync(cluster.MySqld(primary).Identity, cancellationToken).ConfigureAwait(false);
                return $"SIGKILL mysqld of primary {primary.Alias}";
            case DetectionFault.KillHost:
                // Both signals are sent before either wait for the exit begins.
                await Task.WhenAll(
                    DetachedProcess.KillAsync(cluster.Agent(primary).Identity, cancellationToken),
                    DetachedProcess.KillAsync(cluster.MySqld(primary).Identity, cancellationToken)).ConfigureAwait(false);
                return $"SIGKILL agent and mysqld of primary {primary.Alias}";
            case DetectionFault.SilentHost:
                await NftRuleSet.ApplyAsync(primary.Namespace, NftRuleSet.DropAll, cancellationToken).ConfigureAwait(false);
                return $"drop everything on the interface of primary {primary.Alias}";
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault");
        }
    }
}
