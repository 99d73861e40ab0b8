using Microsoft.Extensions.Time.Testing;

namespace Vtorc.Topo.Tests.Contract;

/// <summary>The contract's topology in memory, on a clock the test moves.</summary>
public sealed class InMemoryContractTopo : ContractTopo
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryTopoFactory _factory;

    public InMemoryContractTopo()
    {
        _factory = new InMemoryTopoFactory(_clock);
        Server = _factory.OpenServer(["zone1", "zone2"]);
    }

    public override TopoServer Server { get; }

    private InMemoryTopoStore Store => _factory.Store();

    public override Task<long> PutUnrenewedLockEntryAsync(string queueKey, string contents, TimeSpan ttl)
    {
        var lease = Store.GrantLease(ttl);
        Store.Put(queueKey, contents, lease);
        return Task.FromResult(lease);
    }

    public override Task RevokeLeaseAsync(long leaseId)
    {
        Assert.True(Store.RevokeLease(leaseId), $"lease {leaseId} does not exist");
        return Task.CompletedTask;
    }

    public override void Pass(TimeSpan duration) => _clock.Advance(duration);

    public override ValueTask DisposeAsync() => Server.DisposeAsync();
}
