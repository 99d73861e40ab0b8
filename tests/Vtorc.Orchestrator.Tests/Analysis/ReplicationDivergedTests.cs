using Replicationdata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>Our ReplicationDiverged code and the check that a restarted replica really replicates.</summary>
public sealed class ReplicationDivergedTests
{
    [Theory]
    [InlineData("Got fatal error 1236 from master when reading data from binary log: 'Error: connecting slave requested to start from GTID 0-100-11, which is not in the master's binlog. Since the master's binlog contains GTIDs with higher sequence numbers, it probably means that the slave has diverged due to executing extra erroneous transactions'", "")]
    [InlineData("Got fatal error 1236 from master when reading data from binary log: 'Could not find GTID state requested by slave in any binlog files.'", "")]
    [InlineData("", "An attempt was made to binlog GTID 0-100-11 which would create an out-of-order sequence number with existing GTID 0-101-50, and gtid strict mode is enabled")]
    public void Divergence_errors_are_recognised(string io, string sql) => Assert.True(DivergenceErrors.IsDivergence(io, sql));

    [Theory]
    [InlineData("error connecting to master 'vt@127.0.0.1:3306' - retry-time: 60  maximum-retries: 86400  message: Can't connect", "")]
    [InlineData("", "Error 'Duplicate entry '1' for key 'PRIMARY'' on query")]
    [InlineData("", "")]
    public void Other_replication_errors_are_not_divergence(string io, string sql) => Assert.False(DivergenceErrors.IsDivergence(io, sql));

    [Fact]
    public void A_start_answered_with_an_IO_error_is_a_failure_not_a_repair()
    {
        var (outcome, reason) = ReplicationStartVerdict.Judge(new Status { IoState = 1, SqlState = 3, LastIoError = "Got fatal error 1236" });
        Assert.Equal(ReplicationStartOutcome.Failed, outcome);
        Assert.Contains("1236", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_threads_are_a_repair_and_a_connecting_IO_thread_is_undecided()
    {
        Assert.Equal(ReplicationStartOutcome.Running, ReplicationStartVerdict.Judge(new Status { IoState = 3, SqlState = 3 }).Outcome);
        Assert.Equal(ReplicationStartOutcome.Undecided, ReplicationStartVerdict.Judge(new Status { IoState = 2, SqlState = 3 }).Outcome);
    }
}
