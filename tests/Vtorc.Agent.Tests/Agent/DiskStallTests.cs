using System.Diagnostics;
using Vtorc.Agent.Disk;
using Vtorc.Testing;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// The disk-stall probe of a real agent (docs/reliability.md, "A stalled disk"), seen through the FullStatus RPC. The
/// stall is made without FUSE: the probe file is replaced by a named pipe with no reader, so the probe's open blocks in
/// the kernel as a write to a hung disk does, until the test opens the pipe's other end.
/// </summary>
public sealed class DiskStallTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    protected override int Size => 1;

    [Fact]
    public async Task FullStatus_reports_a_stalled_data_directory_and_clears_it_once_writes_complete_again()
    {
        var member = Cluster[0];
        await InitPrimaryAsync(member);
        var directory = Directory.CreateTempSubdirectory("vtorc-disk-stall-");
        try
        {
            string probeFile = Path.Combine(directory.FullName, FileDiskProbe.FileName);
            member.ConfigureAgent = options => options with
            {
                DiskWriteDirectory = directory.FullName,
                DiskWriteInterval = TimeSpan.FromMilliseconds(200),
                DiskWriteTimeout = TimeSpan.FromSeconds(2),
            };
            await member.StopAgentAsync();
            await member.StartAgentAsync(Vtorc.LocalCluster.AgentCluster.Deadline());

            await Poll.UntilAsync(async () => File.Exists(probeFile) && long.TryParse(await File.ReadAllTextAsync(probeFile), out _), Deadline,
                "the probe writes the time in nanoseconds to .stalled_disk_check");
            var healthy = await FullStatusAsync(member);
            Assert.False(healthy.DiskStalled);
            Assert.NotEmpty(healthy.Version);

            File.Delete(probeFile);
            MakeFifo(probeFile);
            await Poll.UntilAsync(async () => (await FullStatusAsync(member)).DiskStalled, Deadline,
                "FullStatus reports disk_stalled while the probe's write hangs");
            var stalled = await FullStatusAsync(member);
            Assert.Equal(new Replicationdata.FullStatus { DiskStalled = true }, stalled);
            Assert.False(member.Agent!.Health.Snapshot().Serving, "a tablet with a stalled disk still serves");

            // Opening the pipe's other end lets the hung write through; the regular file takes over once the pipe is gone.
            await using var reader = await Task.Run(() => new FileStream(probeFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                .WaitAsync(Deadline);
            File.Delete(probeFile);
            await Poll.UntilAsync(async () => !(await FullStatusAsync(member)).DiskStalled, Deadline,
                "FullStatus stops reporting disk_stalled once a probe completes in time");
            Assert.NotEmpty((await FullStatusAsync(member)).Version);
            await Poll.UntilAsync(() => Task.FromResult(member.Agent!.Health.Snapshot().Serving), Deadline, "the tablet serves again");
        }
        finally
        {
            if (member.Agent is not null)
            {
                await member.StopAgentAsync();
            }
            directory.Delete(recursive: true);
        }
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo did not start");
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
