using Vtorc.Topo.Tests.Etcd;

namespace Vtorc.Topo.Tests.Contract;

/// <summary>The contract's topology on the real etcd of <see cref="EtcdFixture"/>, under a root of its own.</summary>
public sealed class EtcdContractTopo(EtcdFixture etcd, TestTopo topo) : ContractTopo
{
    public static async Task<ContractTopo> CreateAsync(EtcdFixture etcd) => new EtcdContractTopo(etcd, await TestTopo.CreateAsync(etcd));

    public override TopoServer Server => topo.Server;

    public override async Task<long> PutUnrenewedLockEntryAsync(string queueKey, string contents, TimeSpan ttl)
    {
        var lease = (await etcd.Client.LeaseGrantAsync((long)ttl.TotalSeconds, cancellationToken: TestTopo.Timeout())).ID;
        await etcd.Client.PutAsync(queueKey, contents, lease, cancellationToken: TestTopo.Timeout());
        return lease;
    }

    public override Task RevokeLeaseAsync(long leaseId) => etcd.Client.LeaseRevokeAsync(leaseId, cancellationToken: TestTopo.Timeout());

    public override void Pass(TimeSpan duration)
    {
        // Real time passes on its own.
    }

    public override ValueTask DisposeAsync() => topo.DisposeAsync();
}
