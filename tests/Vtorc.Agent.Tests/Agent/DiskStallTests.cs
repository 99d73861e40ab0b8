using Vtorc.Agent.Disk;
using Vtorc.Testing;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// The disk-stall probe of a real agent (docs/reliability.md, "A stalled disk"), seen through the FullStatus RPC. The
/// stall is made without FUSE (<see cref="StallableDirectory"/>): the probe file becomes a named pipe with no reader.
/// </summary>
[NeedsExternalProcess]
public sealed class DiskStallTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    protected override int Size => 1;

    [Fact]
    public async Task FullStatus_reports_a_stalled_data_directory_and_clears_it_once_writes_complete_again()
    {
        var member = Cluster[0];
        await InitPrimaryAsync(member);
        await using var directory = new StallableDirectory();
        Assert.Equal(FileDiskProbe.FileName, Path.GetFileName(directory.ProbeFile));
        member.ConfigureAgent = options => options with
        {
            DiskWriteDirectory = directory.Path,
            DiskWriteInterval = TimeSpan.FromMilliseconds(200),
            DiskWriteTimeout = TimeSpan.FromSeconds(2),
        };
        await member.StopAgentAsync();
        await member.StartAgentAsync(Vtorc.LocalCluster.AgentCluster.Deadline());

        await Poll.UntilAsync(async () => File.Exists(directory.ProbeFile) && long.TryParse(await File.ReadAllTextAsync(directory.ProbeFile), out _),
            Deadline, "the probe writes the time in nanoseconds to .stalled_disk_check");
        var healthy = await FullStatusAsync(member);
        Assert.False(healthy.DiskStalled);
        Assert.NotEmpty(healthy.Version);

        directory.Stall();
        await Poll.UntilAsync(async () => (await FullStatusAsync(member)).DiskStalled, Deadline,
            "FullStatus reports disk_stalled while the probe's write hangs");
        Assert.Equal(new Replicationdata.FullStatus { DiskStalled = true }, await FullStatusAsync(member));
        Assert.False(member.Agent!.Health.Snapshot().Serving, "a tablet with a stalled disk still serves");

        await directory.ReleaseAsync(Deadline);
        await Poll.UntilAsync(async () => !(await FullStatusAsync(member)).DiskStalled, Deadline,
            "FullStatus stops reporting disk_stalled once a probe completes in time");
        Assert.NotEmpty((await FullStatusAsync(member)).Version);
        await Poll.UntilAsync(() => Task.FromResult(member.Agent!.Health.Snapshot().Serving), Deadline, "the tablet serves again");
        await member.StopAgentAsync();
    }
}
