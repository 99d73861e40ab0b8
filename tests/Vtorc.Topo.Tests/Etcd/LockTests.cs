using System.Diagnostics;
using System.Globalization;
using Topodata;
using static Vtorc.Topo.Tests.Etcd.TestTopo;

namespace Vtorc.Topo.Tests.Etcd;

/// <summary>
/// What only etcd shows of the locks: the raw entry and lease, other processes and implementations, the keepalive. The
/// lock semantics every topology shares (exclusion, TryLock, queue order, release, expiry, timeout, cancellation) are
/// in the contract suite (<see cref="Contract.TopoContractTests"/>), which runs on etcd too.
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class LockTests(EtcdFixture etcd)
{
    private const string Keyspace = "ks";
    private const string ShardName = "0";
    private static readonly string ShardPath = TopoLocks.ShardPath(Keyspace, ShardName);

    private async Task<TestTopo> CreateWithShardAsync(TopoServerOptions? options = null)
    {
        var topo = await CreateAsync(etcd, options);
        await topo.Server.Keyspaces.CreateAsync(Keyspace, new Keyspace(), Timeout());
        await topo.Server.Shards.CreateAsync((Keyspace, ShardName), new Shard(), Timeout());
        return topo;
    }

    private static Task<IReadOnlyList<LockEntry>> WaitForQueueAsync(TestTopo topo, int count) =>
        LockQueueWait.ForCountAsync(topo.Server, ShardPath, count);

    [Fact]
    public async Task The_entry_is_a_lease_bound_key_named_by_the_decimal_lease_id_holding_the_descriptor_json()
    {
        await using var topo = await CreateWithShardAsync();
        var time = new DateTimeOffset(2026, 8, 19, 10, 48, 52, TimeSpan.FromHours(2));

        await using var held = await topo.Server.Locks.LockShardAsync(Keyspace, ShardName, "VTOrc Recovery for DeadPrimary on zone1-0000000101", Timeout(),
            new LockOptions { Time = time });

        var expectedKey = $"{topo.GlobalRoot}/keyspaces/ks/shards/0/locks/{held.LeaseId.ToString(CultureInfo.InvariantCulture)}";
        Assert.Equal(expectedKey, held.Key);
        await using var client = etcd.CreateClient();
        var kv = await client.GetAsync(expectedKey, cancellationToken: Timeout());
        Assert.NotNull(kv);
        Assert.Equal(held.LeaseId, kv.Lease);
        var expected = LockDescriptor.ForThisProcess("VTOrc Recovery for DeadPrimary on zone1-0000000101", time).ToJson();
        Assert.Equal(expected, kv.Value.ToStringUtf8());
        Assert.Contains("\"Time\": \"2026-08-19T10:48:52+02:00\"", expected);
    }

    [Fact]
    public async Task Three_processes_never_hold_the_shard_lock_at_the_same_time()
    {
        await using var topo = await CreateWithShardAsync();
        var file = Path.Combine(Path.GetTempPath(), $"vtorc-lock-{Guid.NewGuid():N}.log");
        const int rounds = 5;
        var holders = Enumerable.Range(0, 3)
            .Select(_ => LockHolderProcess.Start("cycle", etcd.Endpoint, topo.GlobalRoot, Keyspace, ShardName, file, rounds, 30))
            .ToList();
        try
        {
            foreach (var holder in holders)
            {
                var exit = await holder.WaitForExitAsync(Timeout(120));
                Assert.True(exit == 0, $"lock holder {holder.Pid} exited with {exit}: {await holder.StandardErrorAsync()}");
            }

            var lines = await File.ReadAllLinesAsync(file);
            Assert.Equal(3 * rounds * 2, lines.Length);
            for (var i = 0; i < lines.Length; i += 2)
            {
                Assert.StartsWith("enter ", lines[i]);
                Assert.Equal("exit " + lines[i]["enter ".Length..], lines[i + 1]);
            }

            Assert.Equal(
                holders.Select(h => h.Pid).Order(),
                lines.Where(l => l.StartsWith("enter ", StringComparison.Ordinal)).Select(l => int.Parse(l["enter ".Length..], CultureInfo.InvariantCulture)).Distinct().Order());
        }
        finally
        {
            foreach (var holder in holders)
            {
                await holder.DisposeAsync();
            }

            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_entry_written_by_another_implementation_excludes_us_until_its_lease_is_revoked()
    {
        await using var topo = await CreateWithShardAsync();
        await using var client = etcd.CreateClient();
        // What vtctld writes: a lease, then {G}/keyspaces/ks/shards/0/locks/{lease} bound to it.
        var lease = (await client.LeaseGrantAsync(30, cancellationToken: Timeout())).ID;
        var foreignKey = $"{topo.GlobalRoot}/keyspaces/ks/shards/0/locks/{lease.ToString(CultureInfo.InvariantCulture)}";
        await client.PutAsync(foreignKey, "{\n  \"Action\": \"EmergencyReparentShard\"\n}", lease, cancellationToken: Timeout());

        var tried = await Assert.ThrowsAsync<TopoException>(() => topo.Server.Locks.TryLockShardAsync(Keyspace, ShardName, "vtorc", Timeout()));
        Assert.Equal(TopoErrorKind.NodeExists, tried.Kind);
        Assert.Contains("EmergencyReparentShard", tried.Message);

        var waiter = topo.Server.Locks.LockShardAsync(Keyspace, ShardName, "vtorc", Timeout());
        await WaitForQueueAsync(topo, 2);
        Assert.False(waiter.IsCompleted);
        await client.LeaseRevokeAsync(lease, cancellationToken: Timeout());
        await using var handle = await waiter;

        Assert.Equal([handle.Key], (await topo.Server.Locks.GetQueueAsync(ShardPath, Timeout())).Select(q => q.Key));
    }

    [Fact]
    public async Task A_named_lock_needs_no_existing_node_and_has_a_24_hour_lease()
    {
        await using var topo = await CreateAsync(etcd, withCells: false);
        await using var handle = await topo.Server.Locks.LockNamedAsync("workflow-x", "named", Timeout());
        await using var client = etcd.CreateClient();

        var lease = await client.LeaseTimeToLiveAsync(handle.LeaseId, cancellationToken: Timeout());

        Assert.Equal($"{topo.GlobalRoot}/internal/named_locks/workflow-x/locks/{handle.LeaseId}", handle.Key);
        Assert.Equal(86400, lease.GrantedTTL);
    }

    [Fact]
    public async Task A_holder_killed_with_SIGKILL_loses_the_lock_after_its_lease_ttl_and_the_waiter_gets_it()
    {
        await using var topo = await CreateWithShardAsync();
        await using var holder = LockHolderProcess.Start("hold", etcd.Endpoint, topo.GlobalRoot, Keyspace, ShardName, "-", 1, ttlSeconds: 3);
        var acquiredLine = await holder.ReadLineAsync(Timeout());
        Assert.StartsWith("acquired ", acquiredLine);
        var holderLease = long.Parse(acquiredLine["acquired ".Length..], CultureInfo.InvariantCulture);
        var waiter = topo.Server.Locks.LockShardAsync(Keyspace, ShardName, "next", Timeout(), new LockOptions { Timeout = TimeSpan.FromSeconds(60) });
        var queue = await WaitForQueueAsync(topo, 2);
        Assert.Equal(holderLease, queue[0].LeaseId);

        holder.Kill();
        await using var handle = await waiter;

        Assert.True(holder.Process.HasExited);
        var after = await topo.Server.Locks.GetQueueAsync(ShardPath, Timeout());
        Assert.Equal([handle.LeaseId], after.Select(e => e.LeaseId));
    }

    [Fact]
    public async Task The_lease_stays_alive_past_its_ttl_while_the_lock_is_held()
    {
        await using var topo = await CreateWithShardAsync(new TopoServerOptions { GlobalServerAddresses = [], LockTtl = TimeSpan.FromSeconds(2) });
        await using var handle = await topo.Server.Locks.LockShardAsync(Keyspace, ShardName, "long job", Timeout());
        await using var client = etcd.CreateClient();
        var clock = Stopwatch.StartNew();

        // Watch the lease (without renewing it) for three TTLs: only the handle's keepalive can keep it alive.
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            // etcd answers the remaining time in whole seconds, rounded down, and -1 for a lease that no longer
            // exists: 0 is a live lease with less than a second left (a renewal a little late on a loaded machine).
            var ttl = await client.LeaseTimeToLiveAsync(handle.LeaseId, cancellationToken: Timeout());
            Assert.True(ttl.TTL >= 0, $"lease {handle.LeaseId} expired while the lock was held (TTL {ttl.TTL} after {clock.Elapsed.TotalSeconds:0.00} s)");
            await Task.Delay(200);
        }

        await handle.CheckAsync(Timeout());
        Assert.False(handle.IsLost);
    }
}
