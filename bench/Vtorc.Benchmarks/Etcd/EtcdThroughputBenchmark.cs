using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Benchmarks.Etcd;

/// <summary>
/// Range and Put throughput/latency of <see cref="EtcdClient"/> against a real local etcd, with 1 and 16 concurrent
/// callers. Usage: <c>etcd [--seconds N] [--value-bytes N] [--keys N]</c>. etcd's own `benchmark` tool is not
/// packaged in Debian, so there is no side-by-side baseline; `etcdctl` is only run as a correctness smoke check.
/// </summary>
public static class EtcdThroughputBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = IntArg(args, "--seconds", 3);
        var valueBytes = IntArg(args, "--value-bytes", 128);
        var keyCount = IntArg(args, "--keys", 1000);
        var duration = TimeSpan.FromSeconds(seconds);

        Console.WriteLine($"etcd benchmark: {seconds} s per case, {valueBytes}-byte values, {keyCount} keys");
        await using var etcd = await EtcdProcess.StartAsync();
        Console.WriteLine($"started etcd at {etcd.Endpoint} (pid {etcd.Pid}), data in {etcd.RootDirectory}");
        await using var client = etcd.CreateClient(TimeSpan.FromSeconds(10));

        var value = ByteString.CopyFrom(new byte[valueBytes]);
        var keys = Enumerable.Range(0, keyCount).Select(i => $"/bench/key/{i:D6}").ToArray();
        foreach (var key in keys)
        {
            await client.PutAsync(key, value);
        }
        Console.WriteLine($"loaded {keyCount} keys");

        // Warm-up: connection, JIT, etcd caches.
        await MeasureAsync("warm-up", 4, TimeSpan.FromSeconds(1), i => client.GetAsync(keys[i % keys.Length]));

        var results = new List<CaseResult>();
        foreach (var callers in new[] { 1, 16 })
        {
            results.Add(await MeasureAsync($"Range x{callers}", callers, duration, i => client.GetAsync(keys[i % keys.Length])));
            results.Add(await MeasureAsync($"Put   x{callers}", callers, duration, i => client.PutAsync(keys[i % keys.Length], value)));
        }

        Console.WriteLine();
        Console.WriteLine("case          ops/s     p50 ms   p99 ms   ops");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-12} {r.OpsPerSecond,8:0}   {r.P50Ms,6:0.000}   {r.P99Ms,6:0.000}   {r.Operations}"));
        }

        EtcdctlSmoke(etcd);
        return 0;
    }

    private static async Task<CaseResult> MeasureAsync(string name, int callers, TimeSpan duration, Func<int, Task> operation)
    {
        Console.Write($"{name}: ");
        var latencies = new List<long>[callers];
        var clock = Stopwatch.StartNew();
        var counter = 0;
        var workers = Enumerable.Range(0, callers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(100_000);
            while (clock.Elapsed < duration)
            {
                var i = Interlocked.Increment(ref counter);
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                mine.Add(Stopwatch.GetTimestamp() - start);
            }
        })).ToArray();
        var all = Task.WhenAll(workers);
        var elapsed = TimeSpan.Zero;
        using (var progress = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            var tick = progress.WaitForNextTickAsync().AsTask();
            while (await Task.WhenAny(all, tick) != all)
            {
                Console.Write($"{Volatile.Read(ref counter)}.. ");
                tick = progress.WaitForNextTickAsync().AsTask();
            }
            elapsed = clock.Elapsed;
            await all;
        }
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        var result = new CaseResult(name, sorted.Length, sorted.Length / elapsed.TotalSeconds, Percentile(sorted, 0.50), Percentile(sorted, 0.99));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done, {result.OpsPerSecond:0} ops/s"));
        return result;
    }

    private static double Percentile(long[] sortedTicks, double p)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }
        var index = (int)Math.Min(sortedTicks.Length - 1, Math.Ceiling(p * sortedTicks.Length) - 1);
        return sortedTicks[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency;
    }

    private static void EtcdctlSmoke(EtcdProcess etcd)
    {
        const string etcdctl = "/usr/bin/etcdctl";
        if (!File.Exists(etcdctl))
        {
            Console.WriteLine("etcdctl not installed; smoke check skipped");
            return;
        }
        var put = RunEtcdctl(etcdctl, etcd.Endpoint, "put", "/bench/etcdctl-smoke", "ok");
        var get = RunEtcdctl(etcdctl, etcd.Endpoint, "get", "--print-value-only", "/bench/etcdctl-smoke");
        var keys = RunEtcdctl(etcdctl, etcd.Endpoint, "get", "--prefix", "--keys-only", "/bench/key/");
        var keyCount = keys.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("/bench/key/", StringComparison.Ordinal));
        Console.WriteLine($"etcdctl smoke: put -> {put.Trim()}, get -> {get.Trim()}, keys under /bench/key/ -> {keyCount}");
    }

    private static string RunEtcdctl(string path, string endpoint, params string[] args)
    {
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["ETCDCTL_API"] = "3";
        info.ArgumentList.Add("--endpoints=" + endpoint);
        info.ArgumentList.Add("--command-timeout=5s");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            return "(etcdctl timed out)";
        }
        return output;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return fallback;
        }
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"{name} needs a positive integer, got \"{(at + 1 < args.Length ? args[at + 1] : "")}\"");
        }
        return value;
    }

    private sealed record CaseResult(string Name, int Operations, double OpsPerSecond, double P50Ms, double P99Ms);
}
