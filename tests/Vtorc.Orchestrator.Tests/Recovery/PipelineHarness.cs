using Microsoft.Extensions.Time.Testing;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// A recovery pipeline over an in-memory topology (keyspace "ks", shard "0"; the shard lock has etcd's queue and
/// TryLock behaviour, checked against etcd by the topology contract suite in Vtorc.Topo.Tests) and fakes for
/// everything else. The in-memory shard comes from a <see cref="ShardScenario"/>; with
/// <c>registerTablets</c> its tablets and primary are also written to the topo, for ERS/PRS which read it.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private PipelineHarness(TopoServer topo, ShardScenario scenario, RecoverySettings settings, IEnumerable<IRecoveryAction>? actions)
    {
        Topo = topo;
        var snapshot = scenario.Build();
        State = new FakeShardState(snapshot);
        Actions = actions is null ? RecoveryActions.CreateDefault(topo, Tablets, Registry, Time) : new RecoveryActions(actions);
        Pipeline = new RecoveryPipeline(topo, State, History, Metrics, Actions, settings, Time, Logger);
    }

    public static DurabilityPolicyRegistry Registry { get; } = DurabilityPolicyRegistry.CreateDefault();

    public TopoServer Topo { get; }

    public FakeShardState State { get; }

    public FakeTabletManager Tablets { get; } = new();

    public FakeRecoveryHistory History { get; } = new();

    public FakeRecoveryMetrics Metrics { get; } = new();

    public FakeLogger<RecoveryPipeline> Logger { get; } = new();

    public FakeTimeProvider Time { get; } = new(ShardScenario.Now);

    public RecoveryActions Actions { get; }

    public RecoveryPipeline Pipeline { get; }

    public static CancellationToken Deadline(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static async Task<PipelineHarness> CreateAsync(ShardScenario scenario, string durability = DurabilityPolicyNames.None,
        RecoverySettings? settings = null, IEnumerable<IRecoveryAction>? actions = null, bool registerTablets = false)
    {
        scenario.WithDurability(durability);
        var topo = TopoServer.OpenInMemory("zone1");
        await topo.Keyspaces.CreateAsync(ShardScenario.Keyspace, new Keyspace { DurabilityPolicy = durability }, Deadline());
        await topo.CreateShardAsync(ShardScenario.Keyspace, ShardScenario.Shard, Deadline());
        var harness = new PipelineHarness(topo, scenario, settings ?? RecoverySettings.Default, actions);
        if (registerTablets)
        {
            var snapshot = harness.State.Snapshot();
            foreach (var tablet in snapshot.Tablets)
            {
                var proto = tablet.Tablet.Clone();
                proto.PortMap["grpc"] = 15999;
                await topo.CreateTabletAsync(proto, Deadline());
            }
            if (snapshot.Shard.PrimaryAlias.Length > 0)
            {
                var primary = snapshot.Tablets.Single(t => t.Alias == snapshot.Shard.PrimaryAlias);
                await topo.Shards.UpdateFieldsAsync((ShardScenario.Keyspace, ShardScenario.Shard), s =>
                {
                    s.PrimaryAlias = primary.Tablet.Alias;
                    s.PrimaryTermStartTime = primary.Tablet.PrimaryTermStartTime;
                }, Deadline());
            }
        }
        return harness;
    }

    public Task<RecoveryExecution> ExecuteAsync(string alias) => Pipeline.ExecuteAsync(State.AnalysisOf(alias), Deadline());

    /// <summary>The live entries of the shard's lock queue (empty when nobody holds the lock).</summary>
    public Task<IReadOnlyList<LockEntry>> LockQueueAsync() =>
        Topo.Locks.GetQueueAsync(TopoLocks.ShardPath(ShardScenario.Keyspace, ShardScenario.Shard), Deadline());

    public ValueTask DisposeAsync() => Topo.DisposeAsync();
}
