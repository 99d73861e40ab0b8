using Microsoft.Extensions.Time.Testing;
using Topodata;

namespace Vtorc.Topo.Tests.Memory;

/// <summary>The in-memory topology's own test hooks and entry points (what the contract suite cannot ask of etcd).</summary>
public sealed class InMemoryTopoHookTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task A_held_lock_whose_renewals_stop_is_lost_one_ttl_later_on_the_clock()
    {
        var clock = new FakeTimeProvider();
        var factory = new InMemoryTopoFactory(clock);
        await using var topo = factory.OpenServer(["zone1"], new TopoServerOptions { GlobalServerAddresses = ["memory"], LockTtl = TimeSpan.FromSeconds(10) });
        await topo.Keyspaces.CreateAsync("ks", new Keyspace(), Deadline());
        await using var handle = await topo.Locks.LockKeyspaceAsync("ks", "held", Deadline());

        Assert.True(factory.Store().StopRenewing(handle.LeaseId));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(handle.IsLost);
        clock.Advance(TimeSpan.FromSeconds(1));

        var loss = await handle.Lost.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(handle.LeaseId, loss.LeaseId);
        Assert.True(handle.LostToken.IsCancellationRequested);
        Assert.Empty(await topo.Locks.GetQueueAsync(TopoLocks.KeyspacePath("ks"), Deadline()));
    }

    [Fact]
    public async Task OpenInMemory_gives_each_cell_a_CellInfo_and_a_connection_of_its_own()
    {
        await using var topo = TopoServer.OpenInMemory("zone1", "zone2");

        var zone2 = await topo.ConnForCellAsync("zone2", Deadline());

        Assert.Equal(["zone1", "zone2"], await topo.GetCellNamesAsync(Deadline()));
        Assert.Equal(("zone2", InMemoryTopoFactory.DefaultServerAddress, "/vitess/zone2"), (zone2.Cell, zone2.ServerAddress, zone2.Root));
    }
}
