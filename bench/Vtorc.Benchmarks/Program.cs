// Entry point of the benchmark runner.
//   --list            what exists
//   grpc [options]    our gRPC setup (grpc-dotnet client and server) on loopback (calls/s, p50/p99)
//   etcd [options]    our etcd client against a real local etcd (Range/Put ops/s, p50/p99)
//   fullstatus [opts] the agent's FullStatus against a real MariaDB through the tablet manager client (calls/s, p50/p99)
//   failover [opts]   the daemon failing over a real 3-tablet shard (detection and total time, min/p50/p95/max)
//   chaos [opts]      randomized faults on a real shard in network namespaces, checked for safety (needs root)
//   detection [opts]  failover time measured from outside after a fault on the primary (mysqld or host killed,
//                     host silent), on the chaos suite's cluster with one orchestrator (needs root)
//   lossy-link [opts] a primary under writes with random packet loss towards the orchestrator: failovers counted (needs root)
//   fleet [opts]      the daemon watching N simulated tablets (a load generator in this process) on a real etcd:
//                     CPU, RSS, poll age, analysis time, mass and hung-shard failovers (see Fleet/FleetCommand.cs);
//                     with --ui-page, the operator page in headless chromium instead (see Fleet/UiPageProbe.cs)
//   analysis-pass     the recovery tick's analysis pass over a synthetic in-memory fleet (wall and CPU ms per pass)
//   anything else     BenchmarkDotNet's switcher over the micro-benchmarks of this assembly
//                     (e.g. --filter '*GtidSet*' or --filter '*Ers*')
// No HTTP/2 PINGs from this process, as in vtorc's Main (see src/Vtorc.Cli/Program.cs); the runtimeconfig sets it too.
Vtorc.Protocol.Rpc.Http2PingPolicy.DisableWindowSizingPings();

var loadRuns = new Dictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.Ordinal)
{
    ["grpc"] = ("unary round trips of our gRPC setup (grpc-dotnet client and server) on loopback, 1 and 64 callers", Vtorc.Benchmarks.Grpc.GrpcUnaryBenchmark.RunAsync),
    ["etcd"] = ("Range/Put throughput of our etcd client against a local etcd, 1 and 16 callers", Vtorc.Benchmarks.Etcd.EtcdThroughputBenchmark.RunAsync),
    ["fullstatus"] = ("FullStatus of a replica tablet (agent + real MariaDB) through the tablet manager client, 1 and 8 callers", Vtorc.Benchmarks.Agent.FullStatusBenchmark.RunAsync),
    ["failover"] = ("SIGKILL of the primary's mysqld on a 3-tablet shard: detection and total failover time", Vtorc.Benchmarks.Failover.FailoverBenchmark.RunAsync),
    ["fleet"] = ("N simulated tablets (load generator) watched by 1-3 real daemons: CPU, RSS, poll age, mass/hung-shard failover times; --ui-page: the operator page in chromium", Vtorc.Benchmarks.Fleet.FleetCommand.RunAsync),
    ["chaos"] = ("randomized faults (kills, freezes, partitions, packet loss, etcd down) on a real shard; safety invariants checked", Vtorc.Benchmarks.Chaos.ChaosCommand.RunAsync),
    ["detection"] = ("fault on the primary (--fault kill-mysqld|kill-host|silent-host) -> new primary writable and followed, measured from outside; --runs N --poll 5s [--vtorc-args \"...\"]", Vtorc.Benchmarks.Detection.DetectionCommand.RunAsync),
    ["lossy-link"] = ("a primary under writes with random packet loss between it and the orchestrator: failovers counted; --duration 30m --loss 20", Vtorc.Benchmarks.Detection.LossyLinkCommand.RunAsync),
    ["analysis-pass"] = ("the recovery tick's analysis pass (snapshots + detection) over a synthetic in-memory fleet, --tablets N --passes P", Vtorc.Benchmarks.Orchestrator.AnalysisPassRun.RunAsync),
};

if (args is ["--list"])
{
    Console.WriteLine("Load runs (plain commands):");
    foreach (var (name, (description, _)) in loadRuns)
    {
        Console.WriteLine($"  {name,-8} {description}");
    }

    Console.WriteLine("Micro-benchmarks (BenchmarkDotNet; run with --filter '<pattern>'):");
    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Vtorc.Benchmarks.Chaos.ChaosCommand).Assembly).Run(["--list", "flat"]);
    return 0;
}

if (args.Length > 0 && loadRuns.TryGetValue(args[0], out var run))
{
    return await run.Run(args[1..]);
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Vtorc.Benchmarks.Chaos.ChaosCommand).Assembly).Run(args);
return 0;
