using Topodata;
using Vtorc.Reparent;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// A tablet record from the topology with the values the analysis reads on every pass computed once: alias text,
/// MySQL host:port, type, primary term start time and the <see cref="TabletInfo"/> durability policies take.
/// </summary>
public sealed class TabletRecord
{
    public TabletRecord(Tablet tablet)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        if (tablet.Alias is null || string.IsNullOrEmpty(tablet.Alias.Cell))
        {
            throw new ArgumentException(
                $"A tablet record needs an alias with a cell (got \"{tablet.Alias?.ToText() ?? ""}\" for host \"{tablet.Hostname}\").",
                nameof(tablet));
        }
        Tablet = tablet;
        Alias = tablet.Alias.ToText();
        Info = new TabletInfo(Alias, tablet.Alias.Cell, tablet.Type);
        PrimaryTermStartTime = VtTime.ToDateTimeOffsetOrZero(tablet.PrimaryTermStartTime);
    }

    public Tablet Tablet { get; }

    /// <summary><c>cell-uid</c>, e.g. <c>zone1-0000000100</c>.</summary>
    public string Alias { get; }

    public string Cell => Tablet.Alias.Cell;

    public string Keyspace => Tablet.Keyspace;

    public string Shard => Tablet.Shard;

    public TabletType Type => Tablet.Type;

    public string MysqlHostname => Tablet.MysqlHostname;

    public int MysqlPort => Tablet.MysqlPort;

    /// <summary>Zero (<c>default</c>) when the tablet never was primary.</summary>
    public DateTimeOffset PrimaryTermStartTime { get; }

    public TabletInfo Info { get; }

    public override string ToString() => $"{Alias} ({Type.ToName()}) {Keyspace}/{Shard}";
}
