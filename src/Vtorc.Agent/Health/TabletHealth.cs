using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Agent.Disk;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.Manager;

namespace Vtorc.Agent.Health;

/// <summary>
/// The agent's health parts, started and stopped together: the mysqld watcher, the replication sampler, the disk
/// health monitor (when --disk-write-dir is set) and the stream's broadcaster.
/// </summary>
internal sealed class TabletHealth : IAsyncDisposable
{
    private TabletHealth(MySqldWatcher mysqld, ReplicationHealthSampler replication, DiskHealthMonitor? disk, TabletHealthBroadcaster broadcaster)
    {
        MySqld = mysqld;
        Replication = replication;
        Disk = disk;
        Broadcaster = broadcaster;
    }

    public DiskHealthMonitor? Disk { get; }

    public MySqldWatcher MySqld { get; }

    public ReplicationHealthSampler Replication { get; }

    public TabletHealthBroadcaster Broadcaster { get; }

    public static TabletHealth Create(TabletAgentOptions options, TabletRecordKeeper record, IReplicationFlavor flavor, ILogger logger, TimeProvider time)
    {
        var mysqld = new MySqldWatcher(options.MySql, record.AliasText, logger, time);
        var replication = new ReplicationHealthSampler(options.MySql, flavor, () => record.Type == TabletType.Primary, record.AliasText, logger, time,
            options.HealthCheckInterval);
        var disk = string.IsNullOrEmpty(options.DiskWriteDirectory)
            ? null
            : new DiskHealthMonitor(new FileDiskProbe(options.DiskWriteDirectory, time), options.DiskWriteInterval, options.DiskWriteTimeout,
                record.AliasText, logger, time);
        return new TabletHealth(mysqld, replication, disk,
            new TabletHealthBroadcaster(record, mysqld, replication, options.HealthCheckInterval, logger, time, disk: disk));
    }

    public void Start()
    {
        MySqld.Start();
        Replication.Start();
        Disk?.Start();
        Broadcaster.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await Broadcaster.DisposeAsync().ConfigureAwait(false);
        await MySqld.DisposeAsync().ConfigureAwait(false);
        await Replication.DisposeAsync().ConfigureAwait(false);
        if (Disk is not null)
        {
            await Disk.DisposeAsync().ConfigureAwait(false);
        }
    }
}
