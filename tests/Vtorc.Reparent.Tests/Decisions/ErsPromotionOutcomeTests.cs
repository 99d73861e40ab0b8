using Vtorc.Reparent.Decisions;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsPromotionOutcomeTests
{
    [Theory]
    [InlineData(3, 0, 4, null)]
    [InlineData(3, 2, 4, null)]
    [InlineData(3, 3, 4, "3 replica(s) failed")]
    [InlineData(1, 1, 2, null)]
    [InlineData(0, 0, 1, null)]
    [InlineData(2, 2, 3, "2 replica(s) failed")]
    public void One_replica_is_enough_and_two_tablet_shards_tolerate_the_dead_primary(int replicas, int failures, int tablets, string? expected)
    {
        Assert.Equal(expected, ErsPromotionOutcome.Evaluate(replicas, failures, tablets));
    }

    [Fact]
    public void More_failures_than_replicas_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErsPromotionOutcome.Evaluate(1, 2, 3));
    }
}
