using Topodata;
using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.Durability;
using static Vtorc.Reparent.Tests.Fixtures;

namespace Vtorc.Reparent.Tests.Decisions;

public class ErsStopReplicationCheckTests
{
    private static readonly DurabilityPolicyRegistry Registry = DurabilityPolicyRegistry.CreateDefault();

    // Shard: primary zone1-100, replicas zone1-101, zone1-102, zone2-103, rdonly zone1-104.
    private static readonly TabletInfo[] Shard =
    [
        Primary("zone1-100"), Replica("zone1-101"), Replica("zone1-102"), Replica("zone2-103"), Rdonly("zone1-104"),
    ];

    private static StopReplicationVerdict Evaluate(string policy, string[] failed, string? shardPrimary = "zone1-100")
    {
        var reached = Shard.Select(t => t.Alias).Except(failed).ToArray();
        var errors = failed.Select(a => new StopReplicationError(a, "rpc error: code = Unavailable")).ToArray();
        return ErsStopReplicationCheck.Evaluate(Shard, reached, errors, shardPrimary, Registry.Get(policy));
    }

    [Fact]
    public void No_errors_is_accepted()
    {
        Assert.Equal(StopReplicationAcceptance.NoErrors, Evaluate(DurabilityPolicyNames.None, []).Acceptance);
    }

    [Theory]
    [InlineData(DurabilityPolicyNames.None)]
    [InlineData(DurabilityPolicyNames.SemiSync)]
    [InlineData(DurabilityPolicyNames.CrossCell)]
    public void A_single_error_from_the_shard_primary_is_accepted(string policy)
    {
        Assert.Equal(StopReplicationAcceptance.OnlyShardPrimaryFailed, Evaluate(policy, ["zone1-100"]).Acceptance);
    }

    [Fact]
    public void A_single_error_from_a_replica_goes_through_the_revocation_check()
    {
        // With none, the unreached promotable replica could still take writes.
        var error = Assert.Throws<ReparentDecisionException>(() => Evaluate(DurabilityPolicyNames.None, ["zone1-101"]));
        Assert.Equal(ErsStopReplicationCheck.InsufficientTabletsMessage, error.Summary);
        Assert.Contains("zone1-101", Aliases(error.Reasons));
    }

    [Fact]
    public void A_single_error_from_a_non_primary_with_no_shard_primary_is_checked_too()
    {
        Assert.Throws<ReparentDecisionException>(() => Evaluate(DurabilityPolicyNames.None, ["zone1-101"], shardPrimary: null));
    }

    // Primary and rdonly unreachable: every possible acker of the primary was reached.
    [Theory]
    [InlineData(DurabilityPolicyNames.None, false)]
    [InlineData(DurabilityPolicyNames.SemiSync, true)]
    [InlineData(DurabilityPolicyNames.CrossCell, true)]
    public void Primary_and_rdonly_unreached(string policy, bool accepted)
    {
        string[] failed = ["zone1-100", "zone1-104"];
        if (accepted)
        {
            Assert.Equal(StopReplicationAcceptance.Revoked, Evaluate(policy, failed).Acceptance);
        }
        else
        {
            var error = Assert.Throws<ReparentDecisionException>(() => Evaluate(policy, failed));
            Assert.StartsWith("could not reach sufficient tablets to guarantee safety: zone1-100: was not reached and needs no semi-sync acks",
                error.Message);
            // The rdonly is MustNot: it can never become primary, so it is not a reason, only its error is quoted.
            Assert.Equal(["zone1-100", "zone1-100", "zone1-104"], Aliases(error.Reasons));
        }
    }

    // Primary and a same-cell replica unreachable: under semi_sync they can ack for each other, under cross_cell
    // only the other-cell replica (reached) could ack for either.
    [Theory]
    [InlineData(DurabilityPolicyNames.None, false)]
    [InlineData(DurabilityPolicyNames.SemiSync, false)]
    [InlineData(DurabilityPolicyNames.CrossCell, true)]
    public void Primary_and_same_cell_replica_unreached(string policy, bool accepted)
    {
        string[] failed = ["zone1-100", "zone1-102"];
        if (accepted)
        {
            Assert.Equal(StopReplicationAcceptance.Revoked, Evaluate(policy, failed).Acceptance);
        }
        else
        {
            var error = Assert.Throws<ReparentDecisionException>(() => Evaluate(policy, failed));
            var unrevoked = error.Reasons.Where(r => r.Reason.StartsWith("was not reached", StringComparison.Ordinal)).Select(r => r.Alias);
            Assert.Equal(["zone1-100", "zone1-102"], unrevoked);
        }
    }

    [Fact]
    public void Semi_sync_reason_counts_the_unreached_ackers()
    {
        var error = Assert.Throws<ReparentDecisionException>(() => Evaluate(DurabilityPolicyNames.SemiSync, ["zone1-100", "zone1-102"]));
        var reason = error.Reasons.First(r => r.Alias == "zone1-100").Reason;
        Assert.Equal("was not reached and 1 of its possible semi-sync ackers were not reached either (it needs 1), so it could still accept writes", reason);
    }

    [Fact]
    public void Cross_cell_fails_when_the_other_cell_acker_is_lost_too()
    {
        Assert.Throws<ReparentDecisionException>(() => Evaluate(DurabilityPolicyNames.CrossCell, ["zone1-100", "zone2-103"]));
    }

    [Fact]
    public void Unreached_must_not_tablets_never_block()
    {
        var tablets = new[] { Primary("zone1-100"), Replica("zone1-101"), OfType("zone1-102", TabletType.Spare) };
        var verdict = ErsStopReplicationCheck.Evaluate(tablets, ["zone1-101"],
            [new StopReplicationError("zone1-100", "down"), new StopReplicationError("zone1-102", "down")], "zone1-100",
            Registry.Get(DurabilityPolicyNames.SemiSync));
        Assert.Equal(StopReplicationAcceptance.Revoked, verdict.Acceptance);
    }
}
