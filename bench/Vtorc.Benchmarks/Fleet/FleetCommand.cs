using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using Vtorc.LocalCluster;
using Vtorc.Topo;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// <c>fleet --tablets N [--poll 1s] [--duration 60s] [--fail-primaries K] [--hang-shard] [--instances 1|2]</c>: a real
/// etcd, N simulated tablets (<see cref="SimulatedFleet"/>, a load generator) registered in it and served from this
/// process, and 1–3 real orchestrators (the built <c>vtorc</c>) watching them. After a warm-up, a measuring window of
/// --duration: the daemons' CPU (utime+stime) and largest RSS, the simulator's own CPU, the gap between two FullStatus
/// calls to one tablet, the time of GET /api/detection-analysis, and the faults: K primaries killed at once and/or a
/// hung shard whose primary dies while another shard's primary dies too. Ends with the line
/// <c>fleet: tablets=N cpu_core_avg=X rss_mb=Y poll_age_p99_ms=Z mass_failover_p99_ms=M hung_shard_other_failover_ms=H</c>.
/// With <c>--ui-page</c> the warm-up is followed by the operator page's measurements instead (<see cref="UiPageProbe"/>).
/// </summary>
public static class FleetCommand
{
    private static readonly TimeSpan HangDuration = TimeSpan.FromSeconds(30);

    /// <summary>How long after the window the run still waits for failovers to finish.</summary>
    private static readonly TimeSpan FailoverGrace = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MaxWarmup = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string[] args)
    {
        FleetOptions options;
        try
        {
            options = FleetOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            await RunAsync(options, stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("fleet: interrupted");
            return 130;
        }
    }

    private static void Progress(string text) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");

    private static async Task RunAsync(FleetOptions options, CancellationToken cancellationToken)
    {
        // One accepted connection per tablet per instance here, one per tablet in each daemon, plus etcd and slack.
        ulong wanted = (ulong)(options.Tablets * (options.Instances + 1) + 4096);
        var (soft, hard) = FileDescriptorLimit.Raise(Math.Max(wanted, 65536));
        var layout = new FleetLayout(options.Tablets);
        Progress($"fleet: {options.Tablets} simulated tablets in {layout.Shards.Count} shards of {FleetLayout.TabletsPerShard}, " +
            $"{layout.Keyspaces.Count} keyspaces ({string.Join(", ", layout.Keyspaces.Select(k => $"{k.Name}:{k.Durability}"))}), cells {string.Join("/", FleetLayout.Cells)}; " +
            $"{options.Instances} orchestrator(s), --instance-poll-time {options.Poll.TotalSeconds:0.###}s, window {options.Duration.TotalSeconds:0} s");
        Progress($"file descriptors: RLIMIT_NOFILE soft {soft}, hard {hard} (this process and, inherited, the daemons); load average {LoadAverage()}");

        var directory = Path.Combine(Path.GetTempPath(), "vtorc-fleet-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        Progress($"setup: starting etcd (logs in {directory})");
        await using var etcd = await EtcdProcess.StartAsync(new EtcdProcessOptions(), cancellationToken);
        await using var topo = TopoServer.Open(new TopoServerOptions
        {
            GlobalServerAddresses = [etcd.Endpoint],
            GlobalRoot = FleetLayout.GlobalRoot,
            OperationTimeout = TimeSpan.FromSeconds(10),
        });
        var fleet = new SimulatedFleet(layout, topo, pollAgePerConnection: options.Instances > 1);
        await using var listener = await FleetRpcListener.StartAsync(fleet, options.HealthStream, cancellationToken);
        fleet.GrpcPort = listener.Port;
        Progress($"setup: etcd {etcd.Endpoint} (pid {etcd.Pid}); TabletManager for all tablets on 0.0.0.0:{listener.Port} (loopback connections only); StreamHealth {(options.HealthStream ? "on, a message per tablet per second as our agent sends" : "off (UNIMPLEMENTED)")}");

        var clock = Stopwatch.StartNew();
        Progress($"registering {options.Tablets} tablets…");
        await fleet.RegisterAsync(etcd.Endpoint, Progress, cancellationToken);
        Progress($"registered {options.Tablets} tablets in {clock.Elapsed.TotalSeconds:0.0} s");

        using var stopTick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tick = Task.Run(() => fleet.RunReplicationAsync(stopTick.Token), CancellationToken.None);

        var daemons = new List<FleetDaemon>();
        try
        {
            for (int i = 1; i <= options.Instances; i++)
            {
                var daemon = await FleetDaemon.StartAsync($"vtorc-{i}", etcd.Endpoint, options.Poll, options.DaemonFlags, options.DaemonNice, directory, cancellationToken);
                daemons.Add(daemon);
                Progress($"setup: {daemon.Name} pid {daemon.Pid}, http 127.0.0.1:{daemon.HttpPort}, log {daemon.LogPath}"
                    + (options.DaemonNice is { } nice ? $", nice {nice} (the simulator, etcd and chromium at the default)" : ""));
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
            await WarmUpAsync(fleet, daemons, http, options, cancellationToken);
            if (options.UiPage)
            {
                await UiPageProbe.RunAsync(fleet, daemons[0], http, options, Progress, s => CurrentPrimary(fleet, s), cancellationToken);
                Console.WriteLine(AnsweredCalls(fleet));
                return;
            }
            var result = await MeasureAsync(fleet, daemons, http, listener, options, cancellationToken);
            var analysisMetrics = await AnalysisMetricsAsync(http, daemons[0], cancellationToken);
            Progress("topology change: rewriting a keyspace's durability policy and waiting for every daemon to show it");
            await DurabilityChangeProbe.RunAsync(fleet, daemons, http, cancellationToken);
            Report(fleet, daemons, options, result, soft, hard);
            if (analysisMetrics.Count > 0)
            {
                Console.WriteLine($"analysis and health-stream metrics of {daemons[0].Name} (/metrics): " + string.Join("; ", analysisMetrics));
            }
        }
        finally
        {
            await stopTick.CancelAsync();
            await tick;
            foreach (var daemon in daemons)
            {
                await daemon.DisposeAsync();
            }
        }
    }

    private static async Task WarmUpAsync(SimulatedFleet fleet, List<FleetDaemon> daemons, HttpClient http, FleetOptions options,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Progress($"warm-up: at least {options.Warmup.TotalSeconds:0} s and until every tablet was polled at least once");
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            CheckAlive(daemons);
            int stale = fleet.PollAges.NotPolledWithin(2 * options.Poll.TotalMilliseconds, _ => true);
            int never = fleet.PollAges.NeverPolled;
            Progress($"warm-up {clock.Elapsed.TotalSeconds:0} s: {fleet.Tablets.Length - never}/{fleet.Tablets.Length} tablets polled, " +
                $"{fleet.Tablets.Length - stale} in the last {2 * options.Poll.TotalSeconds:0.#} s, " +
                $"{fleet.OpenConnections} connections open to the simulator; daemon fds {string.Join("/", daemons.Select(d => d.Usage.OpenFiles))}, threads {string.Join("/", daemons.Select(d => d.Usage.Threads))}");
            if (clock.Elapsed >= options.Warmup && never == 0)
            {
                break;
            }
            if (clock.Elapsed > MaxWarmup)
            {
                Progress($"warm-up: {never} tablets still never polled after {MaxWarmup.TotalMinutes:0} min; measuring anyway");
                break;
            }
        }
        foreach (var daemon in daemons)
        {
            var (codes, ms) = await DetectionAnalysisAsync(http, daemon, cancellationToken);
            Progress(codes is null
                ? $"healthy fleet as {daemon.Name} sees it: /api/detection-analysis did not answer within {http.Timeout.TotalSeconds:0} s"
                : $"healthy fleet as {daemon.Name} sees it ({ms:0} ms): {(codes.Count == 0 ? "no problem detected" : string.Join(", ", codes.Select(c => $"{c.Key}×{c.Value}")))}");
        }
    }

    private sealed record Measurement(
        double WindowSeconds,
        double SimulatorCores,
        List<double> AnalysisMs,
        int? HungShard,
        int? OtherShard,
        int[] MassShards,
        long RefusedConnections,
        double[] DaemonCores);

    private static async Task<Measurement> MeasureAsync(SimulatedFleet fleet, List<FleetDaemon> daemons, HttpClient http, FleetRpcListener listener,
        FleetOptions options, CancellationToken cancellationToken)
    {
        var self = Process.GetCurrentProcess();
        var selfCpuStart = self.TotalProcessorTime;
        foreach (var daemon in daemons)
        {
            daemon.Usage.Start();
        }
        fleet.PollAges.Recording = true;
        var clock = Stopwatch.StartNew();
        Progress($"measuring for {options.Duration.TotalSeconds:0} s");
        var analysisMs = new List<double>();

        int shards = fleet.Shards.Length;
        int? hung = options.HangShard ? shards - 1 : null;
        int? other = options.HangShard ? shards - 2 : null;
        int usable = shards - (options.HangShard ? 2 : 0);
        int[] mass = Enumerable.Range(0, options.FailPrimaries).Select(i => (int)((long)i * usable / Math.Max(1, options.FailPrimaries))).ToArray();
        var hangAt = options.HangShard ? options.Duration / 4 : (TimeSpan?)null;
        var massAt = options.FailPrimaries > 0 ? (hangAt is { } h ? h + TimeSpan.FromSeconds(5) : options.Duration / 4) : (TimeSpan?)null;
        var otherAt = hangAt is { } hh ? hh + TimeSpan.FromSeconds(5) : (TimeSpan?)null;

        var nextAnalysis = TimeSpan.FromSeconds(2);
        long nextAnalysisTicks = nextAnalysis.Ticks;
        Task analysis = Task.CompletedTask;
        var nextProgress = TimeSpan.FromSeconds(10);
        while (clock.Elapsed < options.Duration)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            foreach (var daemon in daemons)
            {
                daemon.Usage.Sample();
            }
            CheckAlive(daemons);
            var now = clock.Elapsed;
            if (hangAt is { } ha && now >= ha)
            {
                hangAt = null;
                fleet.Hang(hung!.Value, HangDuration);
                var primary = CurrentPrimary(fleet, hung.Value);
                fleet.Failovers.Killed(hung.Value, fleet.Shards[hung.Value], primary);
                fleet.Kill(primary);
                Progress($"fault: shard {primary.Shard.Text} hangs for {HangDuration.TotalSeconds:0} s (all but FullStatus/Ping) and its primary {primary.AliasText} dies");
            }
            if (otherAt is { } oa && now >= oa)
            {
                otherAt = null;
                var primary = CurrentPrimary(fleet, other!.Value);
                fleet.Failovers.Killed(other.Value, fleet.Shards[other.Value], primary);
                fleet.Kill(primary);
                Progress($"fault: during the hang, primary {primary.AliasText} of shard {primary.Shard.Text} dies");
            }
            if (massAt is { } ma && now >= ma)
            {
                massAt = null;
                var primaries = mass.Select(s => CurrentPrimary(fleet, s)).ToArray();
                foreach (var (s, p) in mass.Zip(primaries))
                {
                    fleet.Failovers.Killed(s, fleet.Shards[s], p);
                }
                foreach (var p in primaries)
                {
                    fleet.Kill(p);
                }
                Progress($"fault: {primaries.Length} primaries die at once");
            }
            if (now >= nextAnalysis && analysis.IsCompleted)
            {
                // One request at a time, the next 5 s after the previous answer: at scale a request can take seconds,
                // and stacking them would load the daemon with the measurement itself.
                analysis = Task.Run(async () =>
                {
                    var (_, ms) = await DetectionAnalysisAsync(http, daemons[0], cancellationToken);
                    lock (analysisMs)
                    {
                        analysisMs.Add(ms);
                    }
                    nextAnalysisTicks = clock.Elapsed.Ticks + TimeSpan.FromSeconds(5).Ticks;
                }, cancellationToken);
            }
            nextAnalysis = TimeSpan.FromTicks(Interlocked.Read(ref nextAnalysisTicks));
            if (now >= nextProgress)
            {
                nextProgress = now + TimeSpan.FromSeconds(10);
                Progress($"measuring {now.TotalSeconds:0}/{options.Duration.TotalSeconds:0} s: poll age p50 {fleet.PollAges.PercentileMs(0.5):0} ms p99 {fleet.PollAges.PercentileMs(0.99):0} ms, " +
                    $"daemon CPU {string.Join("/", daemons.Select(d => d.Usage.CoresSinceStart().ToString("0.00", CultureInfo.InvariantCulture)))} cores, " +
                    $"RSS {string.Join("/", daemons.Select(d => d.Usage.MaxRssMb.ToString("0", CultureInfo.InvariantCulture)))} MB" + FailoverProgress(fleet));
            }
        }
        fleet.PollAges.Recording = false;
        await analysis;
        double window = clock.Elapsed.TotalSeconds;
        double simulatorCores = (self.TotalProcessorTime - selfCpuStart).TotalSeconds / window;
        foreach (var daemon in daemons)
        {
            daemon.Usage.Sample();
        }
        // CPU figures end here; failovers still running are waited for, without counting that time.
        var cpu = daemons.Select(d => d.Usage.CoresSinceStart()).ToArray();
        var measurement = new Measurement(window, simulatorCores, analysisMs, hung, other, mass, listener.RefusedConnections, cpu);
        var grace = Stopwatch.StartNew();
        while (fleet.Failovers.All.Any(f => f.DoneMs is null) && grace.Elapsed < FailoverGrace)
        {
            await Task.Delay(500, cancellationToken);
        }
        // A second instance may still be about to promote again: give it a few polls to show it.
        if (options.Instances > 1 && fleet.Failovers.All.Count > 0)
        {
            await Task.Delay(options.Poll * 5, cancellationToken);
        }
        return measurement;
    }

    private static string FailoverProgress(SimulatedFleet fleet)
    {
        var all = fleet.Failovers.All;
        return all.Count == 0 ? "" : $", failovers done {all.Count(f => f.DoneMs is not null)}/{all.Count}";
    }

    /// <summary>The shard's tablet that is writable and PRIMARY now (the first one at start).</summary>
    private static SimulatedTablet CurrentPrimary(SimulatedFleet fleet, int shard) =>
        fleet.Shards[shard].FirstOrDefault(t => t.Type == Topodata.TabletType.Primary && !t.ReadOnly && !t.Dead)
        ?? throw new InvalidOperationException($"shard {fleet.Shards[shard][0].Shard.Text} has no writable primary to kill");

    private static void CheckAlive(List<FleetDaemon> daemons)
    {
        foreach (var daemon in daemons.Where(d => d.HasExited))
        {
            throw new InvalidOperationException($"{daemon.Name} exited; log {daemon.LogPath}:\n{LogFiles.Tail(daemon.LogPath, 30)}");
        }
    }

    /// <summary>
    /// GET /api/detection-analysis: the problem codes it lists and how long the request took (ms); null codes when it
    /// did not answer within the client's timeout (the time is then the timeout).
    /// </summary>
    private static async Task<(Dictionary<string, int>? Codes, double Ms)> DetectionAnalysisAsync(HttpClient http, FleetDaemon daemon,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string body;
        try
        {
            body = await http.GetStringAsync($"http://127.0.0.1:{daemon.HttpPort}/api/detection-analysis", cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, clock.Elapsed.TotalMilliseconds);
        }
        double ms = clock.Elapsed.TotalMilliseconds;
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in json.RootElement.EnumerateArray())
            {
                var code = entry.TryGetProperty("Analysis", out var a) ? a.GetString() ?? "" : "";
                if (code != "NoProblem")
                {
                    codes[code] = codes.GetValueOrDefault(code) + 1;
                }
            }
        }
        return (codes, ms);
    }

    /// <summary>
    /// The daemon's own analysis timings, where it exports any (/metrics series whose name mentions analysis, apart from
    /// the per-problem gauge and the changelog counter); empty when there are none.
    /// </summary>
    private static async Task<List<string>> AnalysisMetricsAsync(HttpClient http, FleetDaemon daemon, CancellationToken cancellationToken)
    {
        try
        {
            var text = await http.GetStringAsync($"http://127.0.0.1:{daemon.HttpPort}/metrics", cancellationToken);
            return text.Split('\n')
                .Where(l => l.Length > 0 && l[0] != '#')
                .Where(l =>
                {
                    var name = l.Split('{', ' ')[0];
                    return (name.Contains("analysis", StringComparison.OrdinalIgnoreCase) || name.Contains("health_stream", StringComparison.OrdinalIgnoreCase))
                        && !name.Contains("detected_problems", StringComparison.OrdinalIgnoreCase)
                        && !name.Contains("change_write", StringComparison.OrdinalIgnoreCase);
                })
                .Take(16)
                .ToList();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return [$"/metrics failed: {e.Message}"];
        }
    }

    private static void Report(SimulatedFleet fleet, List<FleetDaemon> daemons, FleetOptions options, Measurement m, ulong soft, ulong hard)
    {
        static string F(double? v, string format = "0") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
        var polls = fleet.PollAges;
        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()} (2 cores, shared with other builds and tests)");
        Console.WriteLine($"RLIMIT_NOFILE soft {soft} hard {hard}; connections open to the simulator now: {fleet.OpenConnections}, refused at accept: {m.RefusedConnections}");
        Console.WriteLine("| instance | pid | CPU (cores, avg) | max RSS MB | threads | open fds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < daemons.Count; i++)
        {
            var d = daemons[i];
            Console.WriteLine($"| {d.Name} | {d.Pid} | {F(m.DaemonCores[i], "0.00")} | {F(d.Usage.MaxRssMb)} | {d.Usage.Threads} | {d.Usage.OpenFiles} |");
        }
        Console.WriteLine($"| simulator (this process) | {Environment.ProcessId} | {F(m.SimulatorCores, "0.00")} | {F(Environment.WorkingSet / 1048576.0)} | | |");
        Console.WriteLine();
        Console.WriteLine($"poll age (gap between two FullStatus calls to one tablet{(polls.PerConnection ? " by one instance (per connection)" : "")}): {polls.Gaps} gaps, " +
            $"p50 {F(polls.PercentileMs(0.5))} ms, p99 {F(polls.PercentileMs(0.99))} ms, max {F(polls.MaxMs)} ms");
        var analysis = m.AnalysisMs.Order().ToArray();
        Console.WriteLine($"GET /api/detection-analysis ({analysis.Length} samples, a full analysis pass of every shard as the daemon answers it): " +
            (analysis.Length == 0 ? "-" : $"p50 {F(Percentile(analysis, 0.5), "0.0")} ms, max {F(analysis[^1], "0.0")} ms"));
        Console.WriteLine(AnsweredCalls(fleet));

        double? massP99 = null;
        if (m.MassShards.Length > 0)
        {
            var done = m.MassShards.Select(s => fleet.Failovers.Of(s)?.DoneMs).ToArray();
            var times = done.OfType<double>().Order().ToArray();
            Console.WriteLine($"mass failover of {m.MassShards.Length} shards (kill → new writable primary, every surviving replica repointed to it): " +
                $"{times.Length} done, " + (times.Length == 0 ? "" : $"min {F(times[0])} ms, p50 {F(Percentile(times, 0.5))} ms, p99 {F(Percentile(times, 0.99))} ms, max {F(times[^1])} ms"));
            if (times.Length < m.MassShards.Length)
            {
                Console.WriteLine($"  not done within the window + {FailoverGrace.TotalSeconds:0} s: " +
                    string.Join(", ", m.MassShards.Where(s => fleet.Failovers.Of(s)?.DoneMs is null).Take(10).Select(s => fleet.Shards[s][0].Shard.Text)));
            }
            massP99 = times.Length == m.MassShards.Length ? Percentile(times, 0.99) : null;
        }
        double? otherMs = null;
        if (m.HungShard is { } hung && m.OtherShard is { } other)
        {
            otherMs = fleet.Failovers.Of(other)?.DoneMs;
            Console.WriteLine($"hung shard {fleet.Shards[hung][0].Shard.Text}: failover {F(fleet.Failovers.Of(hung)?.DoneMs)} ms after its primary died " +
                $"(its tablets did not answer reparent RPCs for {HangDuration.TotalSeconds:0} s)");
            Console.WriteLine($"other shard {fleet.Shards[other][0].Shard.Text}, primary killed 5 s into the hang: failover {F(otherMs)} ms");
        }
        var failovers = fleet.Failovers.All;
        if (failovers.Count > 0)
        {
            var promotions = failovers.GroupBy(f => f.Promotions).OrderBy(g => g.Key).Select(g => $"{g.Count()} shard(s) with {g.Key}");
            Console.WriteLine($"promotions per failed shard ({options.Instances} instance(s)): {string.Join(", ", promotions)}");
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fleet: tablets={options.Tablets} cpu_core_avg={F(m.DaemonCores.Length == 0 ? null : m.DaemonCores.Max(), "0.00")} rss_mb={F(daemons.Count == 0 ? null : daemons.Max(d => d.Usage.MaxRssMb))} " +
            $"poll_age_p99_ms={F(polls.PercentileMs(0.99))} mass_failover_p99_ms={F(massP99)} hung_shard_other_failover_ms={F(otherMs)}"));
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];


    /// <summary>The simulated fleet's RPC counts, with why its health streams ended (which side ended them).</summary>
    private static string AnsweredCalls(SimulatedFleet fleet) =>
        "RPCs answered: " + string.Join(", ", fleet.Calls.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"));
    internal static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
