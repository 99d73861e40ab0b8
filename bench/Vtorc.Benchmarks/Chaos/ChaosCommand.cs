using System.Globalization;
using System.Runtime.InteropServices;
using Vtorc.Benchmarks.Detection;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// <c>chaos --runs N --seed S [--durability semi_sync|none] [--faults F]</c>: randomized fault schedules on a real
/// local cluster (docs/reliability.md, "Fault-injection suite"). One line per run and per fault while it goes, a table
/// per fault kind, and a last line <c>chaos: runs=R faults=F lost_acked_rows=L two_writable_ms=W unhealed_shards=U diverged=D</c>.
/// Exit code 0 when no invariant broke (<see cref="ChaosVerdict"/>), 1 when one did, 2 for bad arguments or no root.
/// </summary>
public static class ChaosCommand
{
    private const string Usage = "usage: chaos --runs N --seed S [--durability semi_sync|none] [--faults F] [--skip-faults KIND[,KIND…]]";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int runs, seed, faultsPerRun;
        string durability;
        IReadOnlySet<FaultKind> skipped;
        try
        {
            runs = BenchArguments.PositiveInt(args, "--runs", "1");
            seed = int.Parse(BenchArguments.Value(args, "--seed", "1"), CultureInfo.InvariantCulture);
            faultsPerRun = BenchArguments.PositiveInt(args, "--faults", "4");
            durability = BenchArguments.Value(args, "--durability", "semi_sync");
            if (durability is not ("semi_sync" or "none"))
            {
                throw new FormatException($"--durability \"{durability}\" must be semi_sync or none");
            }
            skipped = SkippedKinds(BenchArguments.Value(args, "--skip-faults", ""));
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"chaos: {e.Message}\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        if (!Environment.IsPrivilegedProcess)
        {
            await Console.Error.WriteLineAsync(
                "chaos: must run as root: it creates network namespaces, a bridge and nftables rules (run it with sudo, or as root in CI)")
                .ConfigureAwait(false);
            return 2;
        }

        using var interrupted = new CancellationTokenSource();
        // Ctrl-C and SIGTERM end the run in progress through its cancellation, so its clean-up still runs.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.WriteLine("chaos: interrupted; cleaning up");
            interrupted.Cancel();
        }

        var names = new ChaosNames(Environment.ProcessId);
        await LeftoverSweep.RunAsync(line => Console.WriteLine($"chaos: {line}"), interrupted.Token).ConfigureAwait(false);
        var schedule = Schedule(seed, runs * faultsPerRun, skipped);
        Console.WriteLine($"chaos: {runs} runs, {faultsPerRun} faults each, seed {seed}, durability {durability}; names {names.Namespace(1)}…, "
            + $"addresses 198.18.0.0/24, work directory {names.WorkDirectory}"
            + (skipped.Count > 0 ? $"; skipped fault kinds: {string.Join(", ", skipped)}" : ""));

        var results = new List<RunResult>();
        var failed = false;
        for (var run = 1; run <= runs && !interrupted.IsCancellationRequested; run++)
        {
            Console.WriteLine($"run {run}/{runs}: starting a cluster (etcd, 3 MariaDB + agents in namespaces, 2 orchestrators)");
            var runSchedule = schedule.Skip((run - 1) * faultsPerRun).Take(faultsPerRun).ToList();
            var random = new Random(unchecked((seed * 7919) + run));
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(interrupted.Token);
            // Every step has its own bound; this one stops a run that somehow does not end.
            bound.CancelAfter(TimeSpan.FromMinutes(4) + (faultsPerRun * TimeSpan.FromMinutes(3)));
            RunResult result;
            try
            {
                result = await new ChaosRun(run, durability, runSchedule, random, names, Console.WriteLine).ExecuteAsync(bound.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var why = interrupted.IsCancellationRequested ? "interrupted" : bound.IsCancellationRequested ? "run exceeded its time bound" : e.Message;
                result = new RunResult(run, []) { Error = why };
            }
            results.Add(result);
            var violations = ChaosVerdict.Violations(result, durability);
            failed |= violations.Count > 0;
            foreach (var detail in result.Details)
            {
                Console.WriteLine($"    {detail}");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}/{runs}: acked_rows={result.AcknowledgedRows} lost_acked_rows={result.LostAckedRows} two_writable_ms={result.TwoWritableMs:0} "
                + $"unhealed_shards={result.UnhealedShards} diverged={result.DivergedServers} async_writable_ms={result.AsyncWritableMs:0} commits_without_ack={result.UnacknowledgedCommits} -> {(violations.Count == 0 ? "ok" : "VIOLATION: " + string.Join("; ", violations))}"));
        }

        PrintTable(results);
        var faults = results.Sum(r => r.Faults.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chaos: runs={results.Count} faults={faults} lost_acked_rows={results.Sum(r => r.LostAckedRows)} two_writable_ms={results.Sum(r => r.TwoWritableMs):0} "
            + $"unhealed_shards={results.Sum(r => r.UnhealedShards)} diverged={results.Sum(r => r.DivergedServers)}"));
        return failed || interrupted.IsCancellationRequested ? 1 : 0;
    }

    /// <summary>Every kind once per round, in a seeded random order, so a short schedule still covers each kind.</summary>
    private static List<FaultKind> Schedule(int seed, int count, IReadOnlySet<FaultKind> skipped)
    {
        var random = new Random(seed);
        var kinds = Enum.GetValues<FaultKind>().Where(k => !skipped.Contains(k)).ToArray();
        var schedule = new List<FaultKind>();
        while (schedule.Count < count)
        {
            schedule.AddRange(kinds.OrderBy(_ => random.Next()));
        }
        return schedule.Take(count).ToList();
    }

    private static void PrintTable(List<RunResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("fault kind                    injected  healed  failovers  two_writable_ms  lost_acked_rows  async_writable_ms  commits_without_ack");
        foreach (var group in results.SelectMany(r => r.Faults).GroupBy(f => f.Kind).OrderBy(g => g.Key))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key,-29} {group.Count(),8}  {group.Count(f => f.Recovered),6}  {group.Count(f => f.PrimaryChanged),9}  "
                + $"{group.Sum(f => f.TwoWritableMs),15:0}  {group.Sum(f => f.LostAckedRows),15}  {group.Sum(f => f.AsyncWritableMs),17:0}  {group.Sum(f => f.UnacknowledgedCommits),19}"));
        }
        var diverged = results.Where(r => r.DivergedServers > 0).Select(r => r.Run.ToString(CultureInfo.InvariantCulture)).ToList();
        if (diverged.Count > 0)
        {
            Console.WriteLine($"diverged servers after runs {string.Join(", ", diverged)} (see their details above)");
        }
    }

    /// <summary>The fault kinds named by <c>--skip-faults</c> (comma-separated, as <see cref="FaultKind"/> spells them).</summary>
    private static HashSet<FaultKind> SkippedKinds(string text)
    {
        var skipped = new HashSet<FaultKind>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<FaultKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new FormatException($"--skip-faults: \"{name}\" is not a fault kind (one of {string.Join(", ", Enum.GetNames<FaultKind>())})");
            }
            skipped.Add(kind);
        }
        if (skipped.Count == Enum.GetValues<FaultKind>().Length)
        {
            throw new FormatException("--skip-faults leaves no fault kind to inject");
        }
        return skipped;
    }
}
