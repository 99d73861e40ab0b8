using Vtorc.Reparent.Decisions;
using Vtorc.Replication;

namespace Vtorc.Reparent.Tests.Decisions;

public sealed class ErsRelayLogExclusionTests
{
    private static ReplicationPosition File(string file, long offset) => ReplicationPosition.FromFile(new FilePosition(file, offset));

    [Fact]
    public void An_excluded_replica_is_left_out_when_one_that_applied_everything_received_as_much_from_the_same_source()
    {
        var rejections = ErsRelayLogExclusion.Check([
            new ErsRelayLogReplica("a", File("bin.000002", 500), "h:1"),
            new ErsRelayLogReplica("b", File("bin.000002", 400), "h:1", "applier error"),
        ]);

        var only = Assert.Single(rejections);
        Assert.Equal("b", only.Alias);
        Assert.Contains("applier error; a applied at least what it had received", only.Reason);
    }

    [Theory]
    [InlineData("bin.000002", 600, "h:1")] // received more
    [InlineData("bin.000003", 4, "h:1")] // a later binary log
    [InlineData("bin.000002", 100, "other:2")] // another source's coordinates do not compare
    public void Ers_refuses_when_an_excluded_replica_may_have_received_more_than_every_other(string file, long offset, string source)
    {
        var e = Assert.Throws<ReparentDecisionException>(() => ErsRelayLogExclusion.Check([
            new ErsRelayLogReplica("a", File("bin.000002", 500), "h:1"),
            new ErsRelayLogReplica("b", File(file, offset), source, "timed out"),
        ]));

        Assert.Equal(ErsRelayLogExclusion.MayBeMoreAdvancedMessage, e.Summary);
        Assert.Equal("b", Assert.Single(e.Reasons).Alias);
    }

    [Fact]
    public void An_excluded_replica_whose_received_position_is_unknown_blocks_the_reparent()
    {
        var e = Assert.Throws<ReparentDecisionException>(() => ErsRelayLogExclusion.Check([
            new ErsRelayLogReplica("a", File("bin.000002", 500), "h:1"),
            new ErsRelayLogReplica("b", ReplicationPosition.Empty, "", "refused"),
        ]));

        Assert.Contains("an unknown position", e.Message);
    }

    [Fact]
    public void Gtid_sets_compare_by_containment_whatever_the_source()
    {
        const string uuid = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
        var rejections = ErsRelayLogExclusion.Check([
            new ErsRelayLogReplica("a", ReplicationPosition.Parse($"MySQL56/{uuid}:1-10"), ""),
            new ErsRelayLogReplica("b", ReplicationPosition.Parse($"MySQL56/{uuid}:1-9"), "", "timed out"),
        ]);

        Assert.Equal("b", Assert.Single(rejections).Alias);
    }
}
