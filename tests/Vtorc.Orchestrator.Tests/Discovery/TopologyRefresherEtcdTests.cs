using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>The refresher with a cell whose topo server does not answer: the in-memory topology always answers, so
/// this runs on a real etcd.</summary>
[NeedsExternalProcess]
public sealed class TopologyRefresherEtcdTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task AFailingCellDoesNotCauseForgetting()
    {
        await using var h = await CreateOnEtcdAsync(etcd.Endpoint);
        var inZone1 = await h.AddTabletAsync(NewTablet("zone1", 100));
        var inZone2 = await h.AddTabletAsync(NewTablet("zone2", 200));
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));
        Assert.NotNull(h.State.TryGetTablet(inZone2));

        // zone2's topo server becomes unreachable (nothing listens on port 1).
        await h.Topo.CellInfos.UpdateFieldsAsync("zone2", c => c.ServerAddress = "127.0.0.1:1", Deadline());
        var forgotten = new List<string>();
        h.Refresher.TabletForgotten += t => forgotten.Add(t.Alias);
        h.Metrics.WatchedByCell.Clear();
        Assert.True(await h.Refresher.RefreshAllTabletsAsync(Deadline()));

        Assert.Equal([("zone1", 1)], h.Metrics.WatchedByCell);
        Assert.Empty(forgotten);
        Assert.NotNull(h.State.TryGetTablet(inZone1));
        Assert.NotNull(h.State.TryGetTablet(inZone2));
        Assert.False(h.State.IsForgotten(inZone2, h.Time.GetUtcNow()));
    }
}
