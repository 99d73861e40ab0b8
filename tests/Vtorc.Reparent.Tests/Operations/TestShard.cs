using Topodata;
using Vtorc.Reparent.Durability;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests.Operations;

/// <summary>
/// A keyspace "ks" with shard "0" in an in-memory topology (the shard lock has etcd's queue and TryLock behaviour,
/// checked against etcd by the topology contract suite in Vtorc.Topo.Tests), cells zone1 and zone2, and tablets added
/// by the test. Aliases are zone1-0000000100 style; tablets listen on host-{uid}:15999 (never dialled: the tests use
/// <see cref="FakeTabletManager"/>).
/// </summary>
public sealed class TestShard : IAsyncDisposable
{
    public const string Keyspace = "ks";
    public const string Shard = "0";

    private TestShard(TopoServer topo) => Topo = topo;

    public TopoServer Topo { get; }

    public static DurabilityPolicyRegistry Durability { get; } = DurabilityPolicyRegistry.CreateDefault();

    public static CancellationToken Deadline(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static async Task<TestShard> CreateAsync(string durabilityPolicy, TimeSpan? lockTimeout = null)
    {
        var factory = new InMemoryTopoFactory();
        var options = new TopoServerOptions { GlobalServerAddresses = [InMemoryTopoFactory.DefaultServerAddress] };
        // The setup takes the keyspace lock with the default timeout: a short test lock timeout is meant for the
        // operation under test.
        await using (var setup = factory.OpenServer(["zone1", "zone2"], options))
        {
            await setup.Keyspaces.CreateAsync(Keyspace, new Keyspace { DurabilityPolicy = durabilityPolicy }, Deadline());
            await setup.CreateShardAsync(Keyspace, Shard, Deadline());
        }
        return new TestShard(factory.OpenServer(["zone1", "zone2"], options with { LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(45) }));
    }

    public static string Alias(string cell, uint uid) => TabletAliasText.Format(cell, uid);

    /// <summary>Registers a tablet; a PRIMARY gets a term start time <paramref name="termStartSeconds"/>.</summary>
    public async Task<Tablet> AddTabletAsync(string cell, uint uid, TabletType type = TabletType.Replica, long termStartSeconds = 1_700_000_000)
    {
        var tablet = TestTablets.Record(cell, uid, Keyspace, Shard, type);
        if (type == TabletType.Primary)
        {
            tablet.PrimaryTermStartTime = new Vttime.Time { Seconds = termStartSeconds };
        }
        await Topo.CreateTabletAsync(tablet, Deadline());
        return tablet;
    }

    /// <summary>Names the tablet as primary in the shard record.</summary>
    public Task SetShardPrimaryAsync(string cell, uint uid) =>
        Topo.Shards.UpdateFieldsAsync((Keyspace, Shard), s => s.PrimaryAlias = TabletAliases.Create(cell, uid), Deadline());

    public ValueTask DisposeAsync() => Topo.DisposeAsync();
}
