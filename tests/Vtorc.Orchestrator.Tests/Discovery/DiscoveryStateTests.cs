using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Reparent.Durability;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// The per-shard index of <see cref="DiscoveryState"/> (issue 14): reads of one shard see exactly that shard's tablets
/// and observations while tablets arrive, move between shards and are forgotten. Pure in-memory state, no topology.
/// </summary>
public sealed class DiscoveryStateTests
{
    private static readonly DurabilityPolicyRegistry Policies = DurabilityPolicyRegistry.CreateDefault();

    private readonly DiscoveryState _state = new(TimeSpan.FromSeconds(15));

    public DiscoveryStateTests()
    {
        foreach (var keyspace in new[] { "ks", "other" })
        {
            _state.SaveKeyspace(new KeyspaceRecord(keyspace, KeyspaceType.Normal, DurabilityPolicyNames.SemiSync, false));
            foreach (var shard in new[] { "-80", "80-" })
            {
                _state.SaveShard(new ShardRecord(keyspace, shard, "", default, false));
            }
        }
    }

    [Fact]
    public void ReadsOfOneShardReturnOnlyThatShardsTabletsAndObservations()
    {
        var a = Add(101, "ks", "-80");
        var b = Add(102, "ks", "-80");
        Add(103, "ks", "80-");
        Add(104, "other", "-80");

        Assert.Equal([a, b], Aliases(_state.TabletsOfShard("ks", "-80")));
        Assert.Equal([a, b], _state.ObservationsOfShard("ks", "-80").Select(o => o.Alias));
        var snapshot = _state.Snapshot("ks", "-80", Policies);
        Assert.NotNull(snapshot);
        Assert.Equal([a, b], Aliases(snapshot.Tablets));
        Assert.Equal([a, b], snapshot.Observations.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(_state.TabletsOfShard("ks", "unknown"));
        Assert.Empty(_state.ObservationsOfShard("ks", "unknown"));
        Assert.Equal(4, _state.TabletCount);
    }

    [Fact]
    public void ATabletNeverObservedIsInItsShardWithoutAnObservation()
    {
        var observed = Add(101, "ks", "-80");
        var never = Add(102, "ks", "-80", observe: false);

        Assert.Equal([observed, never], Aliases(_state.TabletsOfShard("ks", "-80")));
        Assert.Equal([observed], _state.ObservationsOfShard("ks", "-80").Select(o => o.Alias));
    }

    [Fact]
    public void ATabletWhoseRecordChangesShardMovesToTheNewShardWithItsObservation()
    {
        var moving = Add(101, "ks", "-80");
        var staying = Add(102, "ks", "-80");

        Assert.True(_state.SaveTablet(new TabletRecord(NewTablet("zone1", 101, "ks", "80-"))));

        Assert.Equal([staying], Aliases(_state.TabletsOfShard("ks", "-80")));
        Assert.Equal([staying], _state.ObservationsOfShard("ks", "-80").Select(o => o.Alias));
        Assert.Equal([moving], Aliases(_state.TabletsOfShard("ks", "80-")));
        Assert.Equal([moving], _state.ObservationsOfShard("ks", "80-").Select(o => o.Alias));
        Assert.Equal([moving], Aliases(_state.Snapshot("ks", "80-", Policies)!.Tablets));
        Assert.Equal(2, _state.TabletCount);
    }

    [Fact]
    public void AChangedRecordInTheSameShardReplacesTheOldOneInTheShard()
    {
        var alias = Add(101, "ks", "-80");

        Assert.True(_state.SaveTablet(new TabletRecord(NewTablet("zone1", 101, "ks", "-80", TabletType.Primary))));

        var tablet = Assert.Single(_state.TabletsOfShard("ks", "-80"));
        Assert.Equal((alias, TabletType.Primary), (tablet.Alias, tablet.Type));
    }

    [Fact]
    public void AForgottenTabletLeavesItsShard()
    {
        var forgotten = Add(101, "ks", "-80");
        var kept = Add(102, "ks", "-80");
        var alone = Add(103, "ks", "80-");

        Assert.NotNull(_state.ForgetTablet(forgotten, Start));
        Assert.NotNull(_state.ForgetTablet(alone, Start));

        Assert.Equal([kept], Aliases(_state.TabletsOfShard("ks", "-80")));
        Assert.Equal([kept], _state.ObservationsOfShard("ks", "-80").Select(o => o.Alias));
        Assert.Empty(_state.TabletsOfShard("ks", "80-"));
        Assert.Empty(_state.Snapshot("ks", "80-", Policies)!.Tablets);
        Assert.Equal(1, _state.TabletCount);
    }

    [Fact]
    public void SnapshotsOfAKeyspaceAreThatKeyspacesShardsInOrder()
    {
        Add(101, "ks", "80-");
        Add(102, "ks", "-80");
        Add(103, "other", "-80");

        var ofKeyspace = _state.Snapshots(Policies, "ks");
        var all = _state.Snapshots(Policies);

        Assert.Equal([("ks", "-80"), ("ks", "80-")], ofKeyspace.Select(s => (s.Keyspace.Name, s.Shard.Shard)));
        Assert.Equal([("ks", "-80"), ("ks", "80-"), ("other", "-80"), ("other", "80-")], all.Select(s => (s.Keyspace.Name, s.Shard.Shard)));
        Assert.Equal(["zone1-0000000103"], Aliases(all[2].Tablets));
    }

    [Fact]
    public void A_new_tablet_awaits_its_first_poll_in_its_shards_snapshot_until_a_poll_ends()
    {
        var record = new TabletRecord(NewTablet("zone1", 101, "ks", "-80"));
        var other = Add(102, "ks", "80-");

        Assert.True(_state.SaveTablet(record, discoveredAt: Start));

        Assert.Equal(Start, _state.AwaitingFirstPoll[record.Alias]);
        Assert.Equal(Start, _state.Snapshot("ks", "-80", Policies)!.AwaitingFirstPoll[record.Alias]);
        Assert.Empty(_state.Snapshot("ks", "80-", Policies)!.AwaitingFirstPoll);

        _state.EndFirstPoll(record.Alias);
        _state.EndFirstPoll(other);

        Assert.Empty(_state.AwaitingFirstPoll);
        Assert.Empty(_state.Snapshots(Policies).SelectMany(s => s.AwaitingFirstPoll));
    }

    [Fact]
    public void A_changed_record_of_a_known_tablet_does_not_wait_again_and_a_forgotten_tablet_waits_no_more()
    {
        var known = new TabletRecord(NewTablet("zone1", 101, "ks", "-80"));
        var forgotten = new TabletRecord(NewTablet("zone1", 102, "ks", "-80"));
        _state.SaveTablet(known, discoveredAt: Start);
        _state.SaveTablet(forgotten, discoveredAt: Start);
        _state.EndFirstPoll(known.Alias);

        Assert.True(_state.SaveTablet(new TabletRecord(NewTablet("zone1", 101, "ks", "-80", TabletType.Primary)), discoveredAt: Start.AddMinutes(1)));
        _state.ForgetTablet(forgotten.Alias, Start);

        Assert.Empty(_state.AwaitingFirstPoll);
    }

    private string Add(uint uid, string keyspace, string shard, bool observe = true)
    {
        var record = new TabletRecord(NewTablet("zone1", uid, keyspace, shard));
        Assert.True(_state.SaveTablet(record));
        if (observe)
        {
            _state.UpdateObservation(record.Alias, _ => new InstanceObservation
            {
                Alias = record.Alias,
                Hostname = record.MysqlHostname,
                Port = record.MysqlPort,
                LastChecked = Start,
                LastSeen = Start,
                LastAttemptedCheck = Start,
            });
        }
        return record.Alias;
    }

    private static string[] Aliases(IEnumerable<TabletRecord> tablets) => [.. tablets.Select(t => t.Alias)];
}
