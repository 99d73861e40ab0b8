using System.Diagnostics;
using System.Globalization;
using Vtorc.Benchmarks.Chaos;
using Vtorc.LocalCluster.Network;

namespace Vtorc.Benchmarks.Detection;

/// <summary>
/// <c>lossy-link [--duration 30m] [--loss 20] [--poll 5s] [--vtorc-args "…"]</c>: a semi_sync shard
/// (<see cref="DetectionShard"/>, one orchestrator daemon) under continuous unprivileged writes, with random packet
/// loss between the orchestrator's host (the bridge address, where etcd also listens) and the primary's namespace
/// only; the replicas reach the primary untouched. Counts failovers (the shard record naming another primary, read
/// every second) and every recovery the daemon recorded. Should the primary change, the loss follows it. Progress
/// every minute. Exit code 0 when there was no failover and no recovery, 1 otherwise, 2 for bad arguments or no root.
/// </summary>
public static class LossyLinkCommand
{
    private const string Usage = "usage: lossy-link [--duration 30m] [--loss 20] [--poll 5s] [--vtorc-args \"--flag=value …\"]";
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        TimeSpan duration, poll;
        int loss;
        IReadOnlyList<string> vtorcArgs;
        try
        {
            duration = BenchArguments.Duration(args, "--duration", "30m");
            loss = BenchArguments.PositiveInt(args, "--loss", "20");
            if (loss > 99)
            {
                throw new FormatException($"--loss \"{loss}\" must be a percentage from 1 to 99");
            }
            poll = BenchArguments.Duration(args, "--poll", "5s");
            vtorcArgs = BenchArguments.PassThrough(args, "--vtorc-args");
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"lossy-link: {e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        if (!await RootCheck.PassesAsync("lossy-link").ConfigureAwait(false))
        {
            return 2;
        }

        using var interruption = new BenchInterruption("lossy-link");
        var names = new ChaosNames(Environment.ProcessId);
        await LeftoverSweep.RunAsync(line => Console.WriteLine($"lossy-link: {line}"), interruption.Token).ConfigureAwait(false);
        Console.WriteLine($"lossy-link: {BenchArguments.Seconds(duration)} with {loss}% random packet loss between the orchestrator host and the primary; "
            + $"one orchestrator (--instance-poll-time {BenchArguments.Seconds(poll)}{(vtorcArgs.Count > 0 ? " " + string.Join(' ', vtorcArgs) : "")}), "
            + "semi_sync shard of 3 tablets in namespaces, unprivileged writes to the primary throughout");

        var daemons = new ChaosDaemonSettings { Count = 1, InstancePollTime = poll, ExtraArguments = vtorcArgs };
        await using var shard = await DetectionShard.StartAsync(names, daemons, line => Console.WriteLine($"  setup: {line}"), interruption.Token)
            .ConfigureAwait(false);
        var cluster = shard.Cluster;
        var lossy = shard.Primary;
        var host = cluster.BridgeHostAddress;
        var failovers = new List<string>();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var (writesBefore, failuresBefore) = (shard.WritesAcknowledged, shard.WritesFailed);
        await NftRuleSet.ApplyAsync(lossy.Namespace, NftRuleSet.RandomLossWithPeer(host, loss), interruption.Token).ConfigureAwait(false);
        Console.WriteLine($"lossy-link: primary {lossy.Alias}; {loss}% loss to and from {host} in its namespace since {started:HH:mm:ss.fff} UTC");
        var nextProgress = ProgressEvery;
        var unknownSamples = 0;
        try
        {
            while (clock.Elapsed < duration && !interruption.IsInterrupted)
            {
                await Task.Delay(Sample, interruption.Token).ConfigureAwait(false);
                var primary = await cluster.TopoPrimaryAsync(interruption.Token).ConfigureAwait(false);
                if (primary is null)
                {
                    unknownSamples++;
                }
                else if (primary != lossy)
                {
                    var line = $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} UTC (+{clock.Elapsed.TotalSeconds:0} s): shard record primary {lossy.Alias} -> {primary.Alias}";
                    failovers.Add(line);
                    Console.WriteLine($"lossy-link: FAILOVER {line}; the loss moves to the new primary");
                    await NftRuleSet.ClearAsync(lossy.Namespace, interruption.Token).ConfigureAwait(false);
                    lossy = primary;
                    await NftRuleSet.ApplyAsync(lossy.Namespace, NftRuleSet.RandomLossWithPeer(host, loss), interruption.Token).ConfigureAwait(false);
                }
                if (clock.Elapsed >= nextProgress)
                {
                    nextProgress += ProgressEvery;
                    var recoveries = await DaemonRecoveries.SinceAsync(cluster.Orchestrators.Values.Single(), started, interruption.Token).ConfigureAwait(false);
                    var unreadable = unknownSamples > 0 ? $", shard record unreadable in {unknownSamples} samples" : "";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"lossy-link: {clock.Elapsed.TotalMinutes:0} min: primary {lossy.Alias}, failovers {failovers.Count}, recoveries {recoveries.Count}, "
                        + $"writes acknowledged {shard.WritesAcknowledged - writesBefore}, failed {shard.WritesFailed - failuresBefore}{unreadable}"));
                }
            }
        }
        catch (OperationCanceledException) when (interruption.IsInterrupted)
        {
            // Reported below as an interrupted run.
        }
        finally
        {
            await NftRuleSet.ClearAsync(lossy.Namespace, CancellationToken.None).ConfigureAwait(false);
        }

        var elapsed = clock.Elapsed;
        var writes = shard.WritesAcknowledged - writesBefore;
        var writeFailures = shard.WritesFailed - failuresBefore;
        var all = await DaemonRecoveries.SinceAsync(cluster.Orchestrators.Values.Single(), started, CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine();
        foreach (var recovery in all)
        {
            Console.WriteLine($"  recovery at {recovery.Start:HH:mm:ss.fff} UTC: {recovery.Describe(started)}");
        }
        foreach (var line in failovers)
        {
            Console.WriteLine($"  failover {line}");
        }
        Console.WriteLine($"lossy-link: logs kept in {shard.KeepLogs(names, 1)}");
        var kinds = string.Join(", ", all.GroupBy(r => r.Analysis).Select(g => $"{g.Key} {g.Count()}"));
        var interrupted = interruption.IsInterrupted ? " INTERRUPTED" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lossy-link: duration={elapsed.TotalMinutes:0.0}min loss={loss}% failovers={failovers.Count} recoveries={all.Count} "
            + $"({kinds}) writes_acknowledged={writes} write_failures={writeFailures}{interrupted}"));
        return failovers.Count == 0 && all.Count == 0 && !interruption.IsInterrupted ? 0 : 1;
    }
}
