using System.Globalization;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Topo;

namespace Vtorc.Cli.Local;

/// <summary>
/// Reads the state of a local cluster's shards: the primary each shard record names and a <see cref="TabletObservation"/>
/// per tablet, straight from the topology and from each mysqld (not through the agents). Every call has a deadline.
/// </summary>
internal sealed class ShardInspector(LocalClusterState state, TopoServer topo)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The primary alias the shard record names, or null when it names none (or cannot be read).</summary>
    public async Task<string?> ShardPrimaryAsync(string shard, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        var record = await topo.Shards.TryGetAsync((state.Keyspace, shard), deadline.Token).ConfigureAwait(false);
        return record?.Value.PrimaryAlias is { } alias ? alias.ToText() : null;
    }

    /// <summary>
    /// The shard's primary once it is fully in place: the shard record names it, its mysqld is writable, and every other
    /// tablet whose mysqld runs replicates from it with both threads running. Null until then.
    /// </summary>
    public async Task<string?> HealthyPrimaryAsync(string shard, CancellationToken cancellationToken)
    {
        var primary = await ShardPrimaryAsync(shard, cancellationToken).ConfigureAwait(false);
        if (primary is null)
        {
            return null;
        }
        var observations = await ObserveAsync(shard, cancellationToken).ConfigureAwait(false);
        var ready = observations.Any(o => o.Alias == primary && o is { MySqldAlive: true, ReadOnly: false })
            && observations.Where(o => o.Alias != primary && o.MySqldAlive).All(o => o.IsReplicatingFrom(primary));
        return ready ? primary : null;
    }

    public async Task<IReadOnlyList<TabletObservation>> ObserveAsync(string shard, CancellationToken cancellationToken)
    {
        var tablets = state.Tablets.Where(t => t.Shard == shard).ToList();
        return await Task.WhenAll(tablets.Select(t => ObserveAsync(t, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<TabletObservation> ObserveAsync(LocalTabletRecord tablet, CancellationToken cancellationToken)
    {
        var mysqld = state.Find(LocalProcessKinds.MySqld, tablet.Alias);
        var agent = state.Find(LocalProcessKinds.Agent, tablet.Alias);
        var observation = new TabletObservation
        {
            Alias = tablet.Alias,
            Shard = tablet.Shard,
            TopoType = await TopoTypeAsync(tablet, cancellationToken).ConfigureAwait(false),
            MySqldPid = mysqld?.Pid,
            MySqldAlive = mysqld?.IsAlive ?? false,
            AgentPid = agent?.Pid,
            AgentAlive = agent?.IsAlive ?? false,
        };
        if (!observation.MySqldAlive)
        {
            return observation with { MySqlError = "mysqld is not running" };
        }
        try
        {
            using var deadline = Deadline(cancellationToken);
            using var connection = await MySqlCalls.OpenAsync(ConnectionOptions(tablet), deadline.Token).ConfigureAwait(false);
            var readOnly = (await connection.QueryAsync("SELECT @@global.read_only", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault();
            var replica = (await connection.QueryAsync("SHOW SLAVE STATUS", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault();
            observation = observation with { ReadOnly = readOnly?[0] == "1" };
            if (replica is null)
            {
                return observation;
            }
            return observation with
            {
                ReplicatesFrom = SourceAlias(replica["Master_Host"], replica["Master_Port"]),
                IoThread = replica["Slave_IO_Running"],
                SqlThread = replica["Slave_SQL_Running"],
                LagSeconds = replica["Seconds_Behind_Master"],
            };
        }
        catch (Exception e) when (e is MySqlCallException or IOException or OperationCanceledException or System.Net.Sockets.SocketException
                                      && !cancellationToken.IsCancellationRequested)
        {
            return observation with { MySqlError = e.Message.ReplaceLineEndings(" ") };
        }
    }

    private async Task<string?> TopoTypeAsync(LocalTabletRecord tablet, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = Deadline(cancellationToken);
            var record = await topo.Tablets.TryGetAsync(TabletAliases.Parse(tablet.Alias), deadline.Token).ConfigureAwait(false);
            return record?.Value.Type.ToName();
        }
        catch (Exception e) when (e is TopoException or Protocol.Etcd.EtcdException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private string? SourceAlias(string? host, string? port)
    {
        if (string.IsNullOrEmpty(port) || port == "0")
        {
            return null;
        }
        var source = state.Tablets.FirstOrDefault(t => t.MySqlPort.ToString(CultureInfo.InvariantCulture) == port);
        return source?.Alias ?? $"{host}:{port}";
    }

    public MySqlConnectionOptions ConnectionOptions(LocalTabletRecord tablet) => new()
    {
        Host = tablet.Address,
        Port = tablet.MySqlPort,
        User = state.MySqlUser,
        Password = state.MySqlPassword,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        CommandTimeout = CallTimeout,
    };

    private static CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(CallTimeout);
        return source;
    }
}
