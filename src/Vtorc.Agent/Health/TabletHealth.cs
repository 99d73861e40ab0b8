using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.Manager;

namespace Vtorc.Agent.Health;

/// <summary>The agent's health parts, started and stopped together: the mysqld watcher, the replication sampler and the stream's broadcaster.</summary>
internal sealed class TabletHealth : IAsyncDisposable
{
    private TabletHealth(MySqldWatcher mysqld, ReplicationHealthSampler replication, TabletHealthBroadcaster broadcaster)
    {
        MySqld = mysqld;
        Replication = replication;
        Broadcaster = broadcaster;
    }

    public MySqldWatcher MySqld { get; }

    public ReplicationHealthSampler Replication { get; }

    public TabletHealthBroadcaster Broadcaster { get; }

    public static TabletHealth Create(TabletAgentOptions options, TabletRecordKeeper record, IReplicationFlavor flavor, ILogger logger, TimeProvider time)
    {
        var mysqld = new MySqldWatcher(options.MySql, record.AliasText, logger, time);
        var replication = new ReplicationHealthSampler(options.MySql, flavor, () => record.Type == TabletType.Primary, record.AliasText, logger, time,
            options.HealthCheckInterval);
        return new TabletHealth(mysqld, replication, new TabletHealthBroadcaster(record, mysqld, replication, options.HealthCheckInterval, logger, time));
    }

    public void Start()
    {
        MySqld.Start();
        Replication.Start();
        Broadcaster.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await Broadcaster.DisposeAsync().ConfigureAwait(false);
        await MySqld.DisposeAsync().ConfigureAwait(false);
        await Replication.DisposeAsync().ConfigureAwait(false);
    }
}
