using Vtorc.LocalCluster;

namespace Vtorc.Protocol.Tests.Etcd;

[NeedsExternalProcess]
public sealed class EtcdProcessTests
{
    [Fact]
    public async Task A_failed_start_reports_etcds_log_tail_and_leaves_nothing_behind()
    {
        var parent = Path.Combine(Path.GetTempPath(), "vtorc-etcd-parent-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(parent);
        try
        {
            var error = await Assert.ThrowsAsync<EtcdStartException>(() => EtcdProcess.StartAsync(new EtcdProcessOptions
            {
                ParentDirectory = parent,
                ExtraArguments = ["--no-such-flag-for-this-test"],
            }));

            Assert.Contains("no-such-flag-for-this-test", error.Message);
            Assert.False(error.PortClash);
            Assert.Empty(Directory.GetFileSystemEntries(parent));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task Dispose_kills_etcd_and_deletes_its_directory()
    {
        var etcd = await EtcdProcess.StartAsync();
        var pid = etcd.Pid;
        Assert.NotNull(pid);
        Assert.True(File.Exists(etcd.LogPath));

        await etcd.DisposeAsync();

        Assert.False(Directory.Exists(etcd.RootDirectory));
        Assert.False(etcd.IsRunning);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid.Value));
    }

    [Fact]
    public async Task A_missing_binary_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            EtcdProcess.StartAsync(new EtcdProcessOptions { ExecutablePath = "/nonexistent/etcd" }));

        Assert.Contains("\"/nonexistent/etcd\"", error.Message);
    }
}
