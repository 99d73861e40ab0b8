using Tabletmanagerdata;
using Topodata;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// Changes are sent when they happen, not at the next steady tick: the agents here tick once an hour, so every message
/// after the first one comes from a change.
/// </summary>
[NeedsExternalProcess]
public sealed class HealthStreamChangeTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    protected override TimeSpan? HealthCheckInterval => TimeSpan.FromHours(1);

    [Fact]
    public async Task A_type_change_and_a_killed_mysqld_are_sent_at_once_without_waiting_for_the_interval()
    {
        await using var stream = new HealthStreamRecorder(Cluster[0]);
        await stream.WaitForAsync(m => m.Target.TabletType == TabletType.Replica, "the first snapshot");

        await InitPrimaryAsync(Cluster[0]);
        await stream.WaitForAsync(m => m.Target.TabletType == TabletType.Primary && m.PrimaryTermStartTimestamp > 0, "a snapshot with type PRIMARY");

        var seen = stream.Received.Count;
        Cluster[0].Server.Kill();
        var lost = await stream.WaitForAsync(m => m.RealtimeStats.HealthError.Length > 0, "a snapshot reporting the dead mysqld", seen);
        Assert.Contains("mysqld at", lost.RealtimeStats.HealthError);

        seen = stream.Received.Count;
        await Cluster[0].Server.StartAgainAsync(Vtorc.LocalCluster.AgentCluster.Deadline(60));
        await stream.WaitForAsync(m => m.RealtimeStats.HealthError.Length == 0 && m.Serving, "a healthy snapshot after the restart", seen);
    }
}
