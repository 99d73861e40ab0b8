using System.Globalization;
using System.Text;
using Topodata;
using Vtorc.Topo;
using Vtorc.Protocol;

namespace Vtorc.Cli.Ctl;

/// <summary>The aligned table of GetTablets: one tablet per line, the columns an operator scans first.</summary>
internal static class TabletTable
{
    private static readonly string[] Header = ["ALIAS", "KEYSPACE", "SHARD", "TYPE", "GRPC", "MYSQL", "PRIMARY TERM START"];

    public static string Format(IReadOnlyList<Tablet> tablets)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(tablets.Select(Row));
        var widths = new int[Header.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string[] Row(Tablet t)
    {
        var grpc = t.PortMap.TryGetValue("grpc", out var port) ? $"{t.Hostname}:{port}" : t.Hostname;
        var mysql = t.MysqlHostname.Length == 0 && t.MysqlPort == 0 ? "" : $"{t.MysqlHostname}:{t.MysqlPort}";
        var term = t.PrimaryTermStartTime is { } time
            ? VtTime.ToDateTimeOffset(time).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)
            : "";
        return [t.Alias.ToText(), t.Keyspace, t.Shard, t.Type.ToLowerName(), grpc, mysql, term];
    }
}
