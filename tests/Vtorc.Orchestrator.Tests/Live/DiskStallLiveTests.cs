using Topodata;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// --enable-primary-disk-stalled-recovery end to end (docs/reliability.md, "A stalled disk"): agents probing their
/// data directory as vttablet does, a primary whose probe hangs (<see cref="StallableDirectory"/>), and the daemon
/// failing it over through PrimaryDiskStalled.
/// </summary>
[NeedsExternalProcess]
public sealed class DiskStallLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_primary_reporting_a_stalled_disk_is_failed_over()
    {
        var directories = new Dictionary<AgentMember, StallableDirectory>();
        try
        {
            foreach (var member in Live.Cluster.Members)
            {
                var directory = new StallableDirectory();
                directories[member] = directory;
                member.ConfigureAgent = options => options with
                {
                    DiskWriteDirectory = directory.Path,
                    DiskWriteInterval = TimeSpan.FromMilliseconds(250),
                    DiskWriteTimeout = TimeSpan.FromSeconds(2),
                };
                await member.StopAgentAsync();
                await member.StartAgentAsync(AgentCluster.Deadline());
            }
            var daemon = await Live.StartDaemonAsync(o => o with { Discovery = o.Discovery with { EnablePrimaryDiskStalledRecovery = true } });
            var oldPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "the daemon elected a first primary");

            directories[oldPrimary].Stall();

            var recovery = await LiveCluster.WaitForRecoveryAsync(daemon, AnalysisCodes.PrimaryDiskStalled, RecoveryDeadline);
            Assert.True(recovery.IsSuccessful, recovery.AllErrors);
            var newPrimary = await Live.WaitForHealthyShardAsync(RecoveryDeadline, "a replica was promoted and the other follows it", oldPrimary);
            Assert.NotEqual(oldPrimary, newPrimary);
            Assert.Equal(newPrimary.AliasText, recovery.SuccessorAlias);
            Assert.NotEqual(TabletType.Primary, (await oldPrimary.TabletRecordAsync()).Type);
        }
        finally
        {
            foreach (var directory in directories.Values)
            {
                await directory.DisposeAsync();
            }
        }
    }
}
