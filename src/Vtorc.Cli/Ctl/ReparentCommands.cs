using System.CommandLine;
using Vtorc.Cli.Flags;
using Vtorc.Reparent.Operations;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Cli.Ctl;

/// <summary>
/// PlannedReparentShard, EmergencyReparentShard and InitShardPrimary: each step is printed as a progress line, then
/// the new primary. Like vtctld they queue for the shard lock (up to --lock-timeout).
/// </summary>
internal static class ReparentCommands
{
    public static IEnumerable<Command> Build(CtlCommandBuilder b)
    {
        var prsShard = ShardArgument();
        var prsNewPrimary = NewPrimaryOption("the tablet to promote; the most advanced REPLICA in the primary's cell when omitted");
        var avoidPrimary = new Option<string?>("--avoid-primary") { Description = "move the primary away from this tablet (nothing is done if it is not the primary)" };
        var prsWait = WaitReplicasTimeout();
        var lag = DurationOption.Create("--tolerable-replication-lag", TimeSpan.Zero, "candidates lagging more are not elected; 0 = no limit");
        var crossCell = new Option<bool>("--allow-cross-cell-promotion") { Description = "allow a new primary outside the current primary's cell" };
        yield return b.Create("PlannedReparentShard", "Moves the primary of a healthy shard to another tablet, or elects the first one.", async c =>
        {
            var (keyspace, shard) = ShardCommands.ParseKeyspaceShard(c.Get(prsShard));
            var options = new PlannedReparentOptions
            {
                NewPrimary = c.ParseResult.GetValue(prsNewPrimary),
                AvoidPrimary = c.ParseResult.GetValue(avoidPrimary),
                WaitReplicasTimeout = prsWait.GetValue(c.ParseResult),
                TolerableReplicationLag = lag.GetValue(c.ParseResult),
                AllowCrossCellPromotion = c.ParseResult.GetValue(crossCell),
            };
            using var tablets = Client(c);
            var result = await new PlannedReparentShard(c.Topo, tablets, CtlContext.Durability)
                .RunAsync(keyspace, shard, options, Printer(c), cancellationToken: c.CancellationToken);
            await PrintResultAsync(c, result);
        }, prsShard, prsNewPrimary, avoidPrimary, prsWait.Option, lag.Option, crossCell);

        var ersShard = ShardArgument();
        var ersNewPrimary = NewPrimaryOption("the tablet to promote if it is a valid candidate; ERS chooses when omitted");
        var ignore = new Option<string?>("--ignore-replicas") { Description = "comma-separated tablet aliases ERS neither stops nor repoints" };
        var ersWait = WaitReplicasTimeout();
        var preventCrossCell = new Option<bool>("--prevent-cross-cell-promotion") { Description = "only promote a tablet in the previous primary's cell" };
        var waitAll = new Option<bool>("--wait-for-all-tablets") { Description = "wait for every tablet to stop replication, not all but one" };
        yield return b.Create("EmergencyReparentShard", "Promotes the most advanced reachable replica when the primary is dead.", async c =>
        {
            var (keyspace, shard) = ShardCommands.ParseKeyspaceShard(c.Get(ersShard));
            var options = new EmergencyReparentOptions
            {
                NewPrimary = c.ParseResult.GetValue(ersNewPrimary),
                IgnoreReplicas = (c.ParseResult.GetValue(ignore) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                WaitReplicasTimeout = ersWait.GetValue(c.ParseResult),
                PreventCrossCellPromotion = c.ParseResult.GetValue(preventCrossCell),
                WaitForAllTablets = c.ParseResult.GetValue(waitAll),
            };
            using var tablets = Client(c);
            var result = await new EmergencyReparentShard(c.Topo, tablets, CtlContext.Durability)
                .RunAsync(keyspace, shard, options, Printer(c), cancellationToken: c.CancellationToken);
            // Already complete: ERS settles (or cancels at the settle bound) every repoint before it returns.
            await result.ReplicasSettled;
            await PrintResultAsync(c, result);
        }, ersShard, ersNewPrimary, ignore, ersWait.Option, preventCrossCell, waitAll);

        var initShard = ShardArgument();
        var initNewPrimary = NewPrimaryOption("the tablet to make the first primary; the most advanced REPLICA when omitted");
        var initWait = WaitReplicasTimeout();
        yield return b.Create("InitShardPrimary", "Elects and initialises the first primary of a shard that has none.", async c =>
        {
            var (keyspace, shard) = ShardCommands.ParseKeyspaceShard(c.Get(initShard));
            using var tablets = Client(c);
            var result = await new PlannedReparentShard(c.Topo, tablets, CtlContext.Durability)
                .InitShardPrimaryAsync(keyspace, shard, c.ParseResult.GetValue(initNewPrimary), initWait.GetValue(c.ParseResult), Printer(c),
                    cancellationToken: c.CancellationToken);
            await PrintResultAsync(c, result);
        }, initShard, initNewPrimary, initWait.Option);
    }

    private static Argument<string> ShardArgument() => new("keyspace/shard") { Description = "e.g. commerce/0" };

    private static Option<string?> NewPrimaryOption(string description) => new("--new-primary") { Description = description + " (alias, e.g. zone1-0000000101)" };

    private static DurationOption WaitReplicasTimeout() =>
        DurationOption.Create("--wait-replicas-timeout", TimeSpan.FromSeconds(30), "time allowed for replicas to catch up and be repointed", allowZero: false);

    /// <summary>Tablet calls are bounded by --remote-operation-timeout, which also bounds the topo calls.</summary>
    private static GrpcTabletManagerClient Client(CtlContext c) =>
        new(c.TabletSecurity.Apply(new TabletManagerClientOptions { DefaultTimeout = c.Topo.Options.OperationTimeout }));

    private static IProgress<ReparentEvent> Printer(CtlContext c) => new ProgressPrinter(c.Output);

    private static async Task PrintResultAsync(CtlContext c, ReparentResult result)
    {
        await c.Output.WriteLineAsync(result.WasNoOp
            ? $"{result.Keyspace}/{result.Shard}: nothing to do, primary {(result.NewPrimary.Length == 0 ? "none" : result.NewPrimary)}"
            : $"{result.Keyspace}/{result.Shard}: new primary {result.NewPrimary} (previous {result.PreviousPrimary ?? "none"})");
    }

    /// <summary>Prints each event as it happens; events come from concurrent per-tablet steps, so writes are serialised.</summary>
    private sealed class ProgressPrinter(TextWriter output) : IProgress<ReparentEvent>
    {
        private readonly Lock _gate = new();

        public void Report(ReparentEvent value)
        {
            lock (_gate)
            {
                output.WriteLine(value.ToString());
            }
        }
    }
}
