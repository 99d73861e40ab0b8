using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vtorc.LocalCluster;

/// <summary>
/// What <c>vtorc local up</c> started, kept in <see cref="FileName"/> inside the cluster's work directory so that later
/// commands (status, kill, down) find the processes again after <c>up</c> has exited. Saved after every process
/// started, so a failed start still leaves a record of what to stop.
/// </summary>
public sealed record LocalClusterState
{
    public const string FileName = "local-cluster.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Directory { get; init; }

    /// <summary>"127.0.0.1:port" of etcd; empty until etcd runs.</summary>
    public string EtcdEndpoint { get; set; } = "";

    public string GlobalRoot { get; init; } = "/vitess/global";

    public required string Keyspace { get; init; }

    public required IReadOnlyList<string> Shards { get; init; }

    public required IReadOnlyList<string> Cells { get; init; }

    public required string DurabilityPolicy { get; init; }

    /// <summary>The daemon's HTTP port (/debug/status, /api/…); 0 when it serves no HTTP.</summary>
    public int HttpPort { get; set; }

    public required string MySqlUser { get; init; }

    public required string MySqlPassword { get; init; }

    public List<LocalTabletRecord> Tablets { get; init; } = [];

    public List<LocalProcessRecord> Processes { get; init; } = [];

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>The state in <paramref name="directory"/>, or null when there is no state file.</summary>
    /// <exception cref="InvalidDataException">The file exists but cannot be read as a state file; the message names it.</exception>
    public static LocalClusterState? TryLoad(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<LocalClusterState>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"state file \"{path}\" holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"state file \"{path}\" is not a local-cluster state file: {e.Message}", e);
        }
    }

    /// <summary>Writes the file atomically (write a temp file, then rename), so a reader never sees half of it.</summary>
    public void Save()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathIn(Directory);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The processes of <paramref name="kind"/>, in the order they were started.</summary>
    public IEnumerable<LocalProcessRecord> OfKind(string kind) => Processes.Where(p => p.Kind == kind);

    /// <summary>The process of <paramref name="kind"/> named <paramref name="name"/>, or null.</summary>
    public LocalProcessRecord? Find(string kind, string name) => Processes.LastOrDefault(p => p.Kind == kind && p.Name == name);

    /// <summary>Records <paramref name="record"/>, replacing an earlier record of the same kind and name (a restart).</summary>
    public void Put(LocalProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Processes.RemoveAll(p => p.Kind == record.Kind && p.Name == record.Name);
        Processes.Add(record);
    }

    public LocalTabletRecord? FindTablet(string alias) => Tablets.FirstOrDefault(t => t.Alias == alias);
}
