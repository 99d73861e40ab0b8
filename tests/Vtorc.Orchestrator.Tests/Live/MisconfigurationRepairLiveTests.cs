using System.Globalization;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// A healthy shard watched by the daemon gets one thing broken directly in MySQL, behind the agents' backs, and the
/// daemon puts it right: the shard ends healthy again with the same primary, and the repair is in the history.
/// </summary>
[NeedsExternalProcess]
public sealed class MisconfigurationRepairLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("replica replication stopped", AnalysisCodes.ReplicationStopped)]
    [InlineData("replica pointed at another replica", AnalysisCodes.ConnectedToWrongPrimary)]
    [InlineData("replica writable", AnalysisCodes.ReplicaIsWritable)]
    [InlineData("primary read-only", AnalysisCodes.PrimaryIsReadOnly)]
    [InlineData("primary replicating from a replica", AnalysisCodes.PrimaryHasPrimary)]
    public async Task Broken_setting_is_repaired_by_the_daemon(string breakage, string expectedAnalysis)
    {
        var daemon = await Live.StartDaemonAsync();
        var primary = await Live.WaitForHealthyShardAsync(Deadline, "the daemon elected a primary");
        var replicas = Live.Cluster.Members.Where(m => m != primary).ToArray();

        switch (breakage)
        {
            case "replica replication stopped":
                await replicas[0].ExecuteAsync("STOP SLAVE");
                break;
            case "replica pointed at another replica":
                await replicas[0].ExecuteAsync("STOP SLAVE");
                await replicas[0].ExecuteAsync(
                    $"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={replicas[1].Server.Port.ToString(CultureInfo.InvariantCulture)}");
                await replicas[0].ExecuteAsync("START SLAVE");
                break;
            case "replica writable":
                await replicas[0].ExecuteAsync("SET GLOBAL read_only = 0");
                break;
            case "primary read-only":
                await primary.ExecuteAsync("SET GLOBAL read_only = 1");
                break;
            case "primary replicating from a replica":
                await primary.ExecuteAsync(
                    $"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={replicas[0].Server.Port.ToString(CultureInfo.InvariantCulture)}, " +
                    $"MASTER_USER='{primary.Server.User}', MASTER_PASSWORD='{primary.Server.Password}', MASTER_USE_GTID=slave_pos");
                await primary.ExecuteAsync("START SLAVE");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, "unknown breakage");
        }

        await Poll.UntilAsync(async () =>
                (await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline())).Any(r => r.Analysis == expectedAnalysis && r.IsSuccessful),
            Deadline, $"the daemon recorded a successful recovery of {expectedAnalysis}");
        var after = await Live.WaitForHealthyShardAsync(Deadline, "the shard is healthy again");
        Assert.Equal(primary, after);
    }
}
