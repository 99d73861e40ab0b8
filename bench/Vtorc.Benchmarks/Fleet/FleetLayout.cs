using System.Globalization;
using System.Net;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// Where every simulated tablet lives: keyspaces (half with durability policy semi_sync, half none), their shards
/// (key-range names), two cells, and one loopback address per tablet. Tablet i is 127.20.(i / 250).(i % 250 + 1):
/// Linux routes the whole 127.0.0.0/8 to the loopback interface, so each tablet gets a distinct host name without any
/// interface configuration, and the one listener tells them apart by the local address of a connection.
/// </summary>
internal sealed class FleetLayout
{
    public const int TabletsPerShard = 4;

    public const string GlobalRoot = "/vitess/global";

    public static readonly string[] Cells = ["zone1", "zone2"];

    /// <summary>The MySQL port written in every tablet record; nothing listens there (only the analysis compares it).</summary>
    public const int FakeMySqlPort = 3306;

    private const int AddressesPerBlock = 250;

    public FleetLayout(int tablets)
    {
        int shardCount = tablets / TabletsPerShard;
        int keyspaceCount = shardCount switch { 1 => 1, < 100 => 2, _ => Math.Min(10, shardCount / 50) };
        var shards = new List<ShardPlace>(shardCount);
        for (int k = 0; k < keyspaceCount; k++)
        {
            string keyspace = "fleet" + (k + 1).ToString("00", CultureInfo.InvariantCulture);
            string durability = k % 2 == 0 ? "semi_sync" : "none";
            int inKeyspace = shardCount / keyspaceCount + (k < shardCount % keyspaceCount ? 1 : 0);
            for (int s = 0; s < inKeyspace; s++)
            {
                shards.Add(new ShardPlace(shards.Count, keyspace, ShardName(s, inKeyspace), durability));
            }
        }
        Shards = shards;
        Keyspaces = shards.Select(s => (s.Keyspace, s.Durability)).Distinct().ToArray();
    }

    public IReadOnlyList<ShardPlace> Shards { get; }

    public IReadOnlyList<(string Name, string Durability)> Keyspaces { get; }

    /// <summary>Tablet i's host (and MySQL host) name.</summary>
    public static string Address(int tablet) =>
        string.Create(CultureInfo.InvariantCulture, $"127.20.{tablet / AddressesPerBlock}.{tablet % AddressesPerBlock + 1}");

    /// <summary>The tablet a local address belongs to, or -1 for an address that is not a tablet's.</summary>
    public static int TabletOf(IPAddress? address)
    {
        if (address is null)
        {
            return -1;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        Span<byte> bytes = stackalloc byte[4];
        if (!address.TryWriteBytes(bytes, out int written) || written != 4 || bytes[0] != 127 || bytes[1] != 20 || bytes[3] == 0
            || bytes[3] > AddressesPerBlock)
        {
            return -1;
        }
        return bytes[2] * AddressesPerBlock + bytes[3] - 1;
    }

    /// <summary>Shard s of n in a keyspace: "0" alone, else a key range over two hex bytes ("-0ccc", "0ccc-1999", …, "f333-").</summary>
    private static string ShardName(int s, int n)
    {
        if (n == 1)
        {
            return "0";
        }
        string Bound(int i) => (i * 65536L / n).ToString("x4", CultureInfo.InvariantCulture);
        return (s == 0 ? "" : Bound(s)) + "-" + (s == n - 1 ? "" : Bound(s + 1));
    }
}

/// <summary>One shard of the fleet: its index (tablets 4·index … 4·index+3), keyspace, name and the keyspace's durability policy.</summary>
internal sealed record ShardPlace(int Index, string Keyspace, string Name, string Durability)
{
    public string Text => $"{Keyspace}/{Name}";

    public bool SemiSync => Durability == "semi_sync";
}
