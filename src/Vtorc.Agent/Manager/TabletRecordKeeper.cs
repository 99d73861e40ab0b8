using Microsoft.Extensions.Logging;
using Topodata;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Agent.Manager;

/// <summary>
/// This tablet's view of its own Tablet record: the copy in memory that RPCs read (FullStatus.tablet_type) and
/// every write of it to the topology, plus the Shard record update a new primary makes.
/// </summary>
public sealed class TabletRecordKeeper
{
    private readonly TopoServer _topo;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Tablet _current;

    public TabletRecordKeeper(TopoServer topo, Tablet initial, ILogger logger, TimeProvider time)
    {
        _topo = topo;
        _current = initial.Clone();
        _logger = logger;
        _time = time;
        Alias = initial.Alias.Clone();
    }

    public TabletAlias Alias { get; }

    public string AliasText => Alias.ToText();

    /// <summary>A copy of the record as last written or read.</summary>
    public Tablet Current
    {
        get
        {
            lock (_lock)
            {
                return _current.Clone();
            }
        }
    }

    public TabletType Type
    {
        get
        {
            lock (_lock)
            {
                return _current.Type;
            }
        }
    }

    /// <summary>Sets the gRPC port written at registration (known only once the server listens).</summary>
    public void SetGrpcPort(int port)
    {
        lock (_lock)
        {
            _current.PortMap["grpc"] = port;
        }
    }

    /// <summary>
    /// Writes the record at start-up (create or update, keeping fields other writers added) with
    /// <paramref name="role"/>'s type and term, tablet_start_time = now and tablet_shutdown_time cleared, lists the
    /// tablet in ShardReplication and, when the role claims the shard, updates the Shard record.
    /// </summary>
    public async Task RegisterAsync(StartupRole role, CancellationToken cancellationToken)
    {
        Tablet template;
        lock (_lock)
        {
            template = _current.Clone();
        }
        var now = VtTime.From(_time.GetUtcNow());
        var record = await _topo.Tablets.UpdateOrCreateFieldsAsync(Alias, tablet =>
        {
            tablet.Alias = template.Alias.Clone();
            tablet.Hostname = template.Hostname;
            tablet.PortMap.Clear();
            tablet.PortMap.Add(template.PortMap);
            tablet.Keyspace = template.Keyspace;
            tablet.Shard = template.Shard;
            tablet.KeyRange = template.KeyRange?.Clone();
            tablet.DbNameOverride = template.DbNameOverride;
            tablet.MysqlHostname = template.MysqlHostname;
            tablet.MysqlPort = template.MysqlPort;
            tablet.Type = role.Type;
            tablet.PrimaryTermStartTime = role.Type == TabletType.Primary ? role.PrimaryTermStartTime?.Clone() : null;
            tablet.TabletStartTime = now.Clone();
            tablet.TabletShutdownTime = null;
        }, cancellationToken).ConfigureAwait(false);
        await _topo.UpdateTabletReplicationDataAsync(record.Value, cancellationToken).ConfigureAwait(false);
        Remember(record.Value);
        _logger.TabletRegistered(AliasText, role.Type.ToName(), role.Reason);
        if (role.ClaimShard && role.PrimaryTermStartTime is not null)
        {
            await ClaimShardAsync(role.PrimaryTermStartTime, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Changes the type in the topology. PRIMARY starts a new term (primary_term_start_time = now) and updates the
    /// Shard record when that term is newer than the shard's; any other type clears the term.
    /// </summary>
    public async Task ChangeTypeAsync(TabletType type, string why, CancellationToken cancellationToken)
    {
        var previous = Type;
        var term = type == TabletType.Primary ? VtTime.From(_time.GetUtcNow()) : null;
        var record = await _topo.Tablets.UpdateFieldsAsync(Alias, tablet =>
        {
            tablet.Type = type;
            tablet.PrimaryTermStartTime = term?.Clone();
        }, cancellationToken).ConfigureAwait(false);
        Remember(record.Value);
        _logger.TabletTypeChanged(AliasText, previous.ToName(), type.ToName(), why);
        if (term is not null)
        {
            await ClaimShardAsync(term, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Re-reads the record from the topology (RefreshState).</summary>
    public async Task<Tablet> RefreshAsync(CancellationToken cancellationToken)
    {
        var record = await _topo.Tablets.GetAsync(Alias, cancellationToken).ConfigureAwait(false);
        var before = Type;
        Remember(record.Value);
        if (before != record.Value.Type)
        {
            _logger.TabletTypeReadFromTopology(AliasText, before.ToName(), record.Value.Type.ToName());
        }
        return record.Value.Clone();
    }

    /// <summary>Sets tablet_shutdown_time (clean shutdown): VTOrc then stops polling this tablet.</summary>
    public async Task MarkShutdownAsync(CancellationToken cancellationToken)
    {
        var now = VtTime.From(_time.GetUtcNow());
        var record = await _topo.Tablets.UpdateFieldsAsync(Alias, tablet => tablet.TabletShutdownTime = now.Clone(), cancellationToken)
            .ConfigureAwait(false);
        Remember(record.Value);
        _logger.TabletMarkedShutDown(AliasText);
    }

    /// <summary>Names this tablet primary in the Shard record, unless the shard already has a newer term (as vttablet
    /// does, syncShardPrimary in go/vt/vttablet/tabletmanager/shard_sync.go).</summary>
    private async Task ClaimShardAsync(Vttime.Time term, CancellationToken cancellationToken)
    {
        var current = Current;
        var claimed = false;
        await _topo.Shards.UpdateFieldsAsync((current.Keyspace, current.Shard), shard =>
        {
            claimed = false;
            if (StartupRole.SameAlias(shard.PrimaryAlias, Alias) ? VtTime.Compare(term, shard.PrimaryTermStartTime) >= 0
                    : VtTime.Compare(term, shard.PrimaryTermStartTime) > 0)
            {
                shard.PrimaryAlias = Alias.Clone();
                shard.PrimaryTermStartTime = term.Clone();
                claimed = true;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (claimed)
        {
            _logger.ShardPrimaryUpdated(current.Keyspace, current.Shard, AliasText);
        }
        else
        {
            _logger.ShardPrimaryTermNewer(current.Keyspace, current.Shard);
        }
    }

    /// <summary>Fires after the record in memory was replaced (type, term, …), outside the keeper's lock; handlers must not block.</summary>
    public event Action? Changed;

    private void Remember(Tablet tablet)
    {
        lock (_lock)
        {
            _current = tablet.Clone();
        }
        Changed?.Invoke();
    }
}
