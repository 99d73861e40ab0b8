using Vtorc.Orchestrator.Discovery;

namespace Vtorc.Orchestrator.Tests.Discovery;

public sealed class DiscoveryQueueTests
{
    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task PushOfAQueuedAliasIsANoOpAndOrderIsFifo()
    {
        var queue = new DiscoveryQueue();
        Assert.True(queue.Push("zone1-0000000100"));
        Assert.True(queue.Push("zone1-0000000101"));
        Assert.False(queue.Push("zone1-0000000100"));
        Assert.Equal(2, queue.Count);
        Assert.Equal("zone1-0000000100", await queue.ConsumeAsync(Deadline()));
        Assert.Equal("zone1-0000000101", await queue.ConsumeAsync(Deadline()));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task PushOfAnAliasInProgressIsANoOpUntilReleased()
    {
        var queue = new DiscoveryQueue();
        queue.Push("zone1-0000000100");
        var alias = await queue.ConsumeAsync(Deadline());
        Assert.False(queue.Push(alias));
        Assert.Equal(0, queue.Count);
        queue.Release(alias);
        Assert.True(queue.Push(alias));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task ConsumeWaitsForAPush()
    {
        var queue = new DiscoveryQueue();
        var consuming = queue.ConsumeAsync(Deadline());
        Assert.False(consuming.IsCompleted);
        queue.Push("zone2-0000000200");
        Assert.Equal("zone2-0000000200", await consuming);
    }

    [Fact]
    public void AFullQueueRefusesMore()
    {
        var queue = new DiscoveryQueue(capacity: 2);
        Assert.True(queue.Push("a-1"));
        Assert.True(queue.Push("a-2"));
        Assert.False(queue.Push("a-3"));
        Assert.Equal(2, queue.Count);
    }
}
