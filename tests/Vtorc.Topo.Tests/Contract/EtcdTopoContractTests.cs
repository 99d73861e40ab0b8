using Vtorc.Topo.Tests.Etcd;

namespace Vtorc.Topo.Tests.Contract;

/// <summary>The topology contract on a real etcd.</summary>
[NeedsExternalProcess]
[Collection(EtcdCollection.Name)]
public sealed class EtcdTopoContractTests(EtcdFixture etcd) : TopoContractTests
{
    protected override Task<ContractTopo> OpenAsync() => EtcdContractTopo.CreateAsync(etcd);
}
