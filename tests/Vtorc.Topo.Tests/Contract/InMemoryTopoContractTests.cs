namespace Vtorc.Topo.Tests.Contract;

/// <summary>The topology contract in memory.</summary>
public sealed class InMemoryTopoContractTests : TopoContractTests
{
    protected override Task<ContractTopo> OpenAsync() => Task.FromResult<ContractTopo>(new InMemoryContractTopo());
}
