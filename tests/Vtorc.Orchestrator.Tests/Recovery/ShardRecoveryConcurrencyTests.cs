using Microsoft.Extensions.Logging.Abstractions;
using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Tests.Live;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// A real daemon over a real etcd topo with two shards whose tablets are scripted (fake tablet manager): in each, the
/// replica stops replicating and its repair (FixReplica) calls SetReplicationSource, which the test holds on a gate.
/// Recoveries of different shards run at the same time, and one that never ends holds up neither the analysis ticks
/// nor the repair of the other shard (docs/reliability.md, "Recoveries of different shards do not wait for each other").
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class ShardRecoveryConcurrencyTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private const string ShardA = TwoShardTablets.ShardA;
    private const string ShardB = TwoShardTablets.ShardB;

    [Fact]
    public async Task Recoveries_of_two_shards_are_in_flight_at_the_same_time()
    {
        await using var fleet = await TwoShardFleet.CreateAsync(etcd);
        var gates = new[] { fleet.GateRepoint(ShardA), fleet.GateRepoint(ShardB) };
        fleet.StopReplication(ShardA);
        fleet.StopReplication(ShardB);
        await using var daemon = await fleet.StartDaemonAsync();

        // Both repairs are inside SetReplicationSource together: neither waited for the other to end.
        await Task.WhenAll(gates.Select(g => g.Entered)).WaitAsync(Deadline);
        Assert.All(gates, g => Assert.False(g.Released));
        Assert.Equal(2, daemon.ShardsRecoveringOrQueued);

        foreach (var gate in gates)
        {
            gate.Release();
        }
        await Poll.UntilAsync(async () => (await fleet.SuccessfulRepairsAsync(daemon)).Count == 2, Deadline, "both replicas were repaired");
    }

    [Fact]
    public async Task The_recovery_loop_goes_on_and_repairs_another_shard_while_one_shards_recovery_hangs()
    {
        await using var fleet = await TwoShardFleet.CreateAsync(etcd);
        var hung = fleet.GateRepoint(ShardA);
        fleet.StopReplication(ShardA);
        await using var daemon = await fleet.StartDaemonAsync();
        await hung.Entered.WaitAsync(Deadline);
        long ticks = daemon.RecoveryTicks;

        fleet.StopReplication(ShardB);

        await Poll.UntilAsync(async () => (await fleet.SuccessfulRepairsAsync(daemon)).Contains(fleet.ReplicaOf(ShardB)), Deadline,
            "shard B's replica was repaired while shard A's repair hangs");
        await Poll.UntilAsync(() => Task.FromResult(daemon.RecoveryTicks >= ticks + 3), Deadline, "three more recovery ticks ran");
        Assert.False(hung.Released);
        Assert.DoesNotContain(fleet.ReplicaOf(ShardA), await fleet.SuccessfulRepairsAsync(daemon));
        Assert.True(daemon.ShardsRecoveringOrQueued >= 1, "shard A's recovery is still in flight");

        // Shutdown waits (--shutdown-wait-time, 1 s here) for the recovery still in flight, then cancels it.
        await daemon.ShutdownAsync("test").WaitAsync(Deadline);
        Assert.Equal(0, daemon.ShardsRecoveringOrQueued);
        Assert.False(hung.Released);
    }

    /// <summary>Keyspace "ks" with shards -80 (primary 100, replica 101) and 80- (primary 200, replica 201).</summary>
    private sealed class TwoShardFleet : IAsyncDisposable
    {
        private readonly TopoServer _topo;
        private readonly List<OrchestratorDaemon> _daemons = [];

        private TwoShardFleet(TopoServer topo) => _topo = topo;

        public FakeTabletManager Tablets { get; } = new();

        public static async Task<TwoShardFleet> CreateAsync(EtcdFixture etcd)
        {
            var root = "/shards-" + Guid.NewGuid().ToString("N")[..12];
            var topo = TopoServer.Open(new TopoServerOptions { GlobalServerAddresses = [etcd.Endpoint], GlobalRoot = root + "/global" });
            var fleet = new TwoShardFleet(topo);
            await topo.CellInfos.CreateAsync("zone1", new CellInfo { ServerAddress = etcd.Endpoint, Root = root + "/zone1" }, Token());
            await topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Token());
            foreach (var (shard, primaryUid) in new[] { (ShardA, 100u), (ShardB, 200u) })
            {
                await topo.CreateShardAsync("ks", shard, Token());
                var primary = TwoShardTablets.NewTablet(primaryUid, shard, TabletType.Primary);
                var replica = TwoShardTablets.NewTablet(primaryUid + 1, shard, TabletType.Replica);
                await topo.CreateTabletAsync(primary, Token());
                await topo.CreateTabletAsync(replica, Token());
                await topo.Shards.UpdateFieldsAsync(("ks", shard), s =>
                {
                    s.PrimaryAlias = primary.Alias;
                    s.PrimaryTermStartTime = primary.PrimaryTermStartTime;
                }, Token());
                fleet.Tablets.Returns(primary.Alias.ToText(), "FullStatus",
                    new FullStatus { ServerId = primaryUid, TabletType = TabletType.Primary, Version = "8.0.36" });
                fleet.Replicate(shard, running: true);
            }
            return fleet;
        }

        public string ReplicaOf(string shard) => TabletAliases.Create("zone1", PrimaryUid(shard) + 1).ToText();

        /// <summary>The shard's replica reports both replication threads stopped: ReplicationStopped, repaired by FixReplica.</summary>
        public void StopReplication(string shard) => Replicate(shard, running: false);

        /// <summary>SetReplicationSource on the shard's replica waits for the gate (or the caller's cancellation).</summary>
        public RpcGate GateRepoint(string shard)
        {
            var gate = new RpcGate();
            Tablets.On(ReplicaOf(shard), "SetReplicationSource", gate.PassAsync);
            return gate;
        }

        public async Task<OrchestratorDaemon> StartDaemonAsync()
        {
            var defaults = LiveCluster.TestOptions();
            var options = defaults with
            {
                // Each repair is tried again at once when it fails; a hung one is cancelled quickly at the end.
                Recovery = defaults.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.Zero },
                ShutdownWaitTime = TimeSpan.FromSeconds(1),
            };
            var daemon = await OrchestratorDaemon.StartAsync(_topo, Tablets, options, new VtorcMetrics(), NullLoggerFactory.Instance,
                TimeProvider.System, Token());
            _daemons.Add(daemon);
            return daemon;
        }

        /// <summary>The replicas whose ReplicationStopped repair succeeded.</summary>
        public async Task<IReadOnlyList<string>> SuccessfulRepairsAsync(OrchestratorDaemon daemon) =>
            [.. (await daemon.Store.ReadRecentRecoveriesAsync(0, Token()))
                .Where(r => r.Analysis == AnalysisCodes.ReplicationStopped && r.IsSuccessful)
                .Select(r => r.Alias)];

        public async ValueTask DisposeAsync()
        {
            foreach (var daemon in _daemons)
            {
                await daemon.DisposeAsync();
            }
            await _topo.DisposeAsync();
        }

        private void Replicate(string shard, bool running) =>
            Tablets.Returns(ReplicaOf(shard), "FullStatus", TwoShardTablets.ReplicaStatus(PrimaryUid(shard) + 1, PrimaryUid(shard), running));

        private static uint PrimaryUid(string shard) => shard == ShardA ? 100u : 200u;
    }

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
