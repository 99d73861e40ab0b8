using Vtorc.Reparent.Operations;

namespace Vtorc.Reparent.Tests.Operations;

/// <summary>The checks ERS and PRS options share (<see cref="ReparentOptions"/>) and those each keeps.</summary>
public sealed class ReparentOptionsTests
{
    public static TheoryData<ReparentOptions> BadTimeouts => new()
    {
        new EmergencyReparentOptions { WaitReplicasTimeout = TimeSpan.Zero },
        new PlannedReparentOptions { WaitReplicasTimeout = TimeSpan.FromSeconds(-1) },
        new EmergencyReparentOptions { SettleReplicasTimeout = TimeSpan.FromSeconds(-1) },
        new PlannedReparentOptions { SettleReplicasTimeout = TimeSpan.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(BadTimeouts))]
    public void A_non_positive_wait_or_negative_settle_timeout_is_refused_naming_it(ReparentOptions options)
    {
        var e = Assert.Throws<ArgumentException>(() => Validate(options));
        Assert.Matches("wait-replicas-timeout must be positive|replica settle timeout must not be negative", e.Message);
    }

    [Fact]
    public void Each_operation_still_checks_its_own_flags()
    {
        Assert.Throws<ArgumentNullException>(() => new EmergencyReparentOptions { IgnoreReplicas = null! }.Validate());
        var e = Assert.Throws<ArgumentException>(() => new PlannedReparentOptions { TolerableReplicationLag = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Contains("tolerable-replication-lag", e.Message);
        new EmergencyReparentOptions().Validate();
        new PlannedReparentOptions().Validate();
    }

    private static void Validate(ReparentOptions options)
    {
        switch (options)
        {
            case EmergencyReparentOptions ers:
                ers.Validate();
                break;
            case PlannedReparentOptions prs:
                prs.Validate();
                break;
        }
    }
}
