using Vtorc.Cli.Ctl;
using Vtorc.Orchestrator;
using Vtorc.Topo;

namespace Vtorc.Cli.Local;

/// <summary>The checked flags of <c>vtorc local up</c>.</summary>
internal sealed record LocalUpSettings
{
    public const int MaxTabletsPerShard = 50;

    public required string Directory { get; init; }

    public required int TabletsPerShard { get; init; }

    public required IReadOnlyList<string> Cells { get; init; }

    public required IReadOnlyList<string> Shards { get; init; }

    public required string Keyspace { get; init; }

    public required string DurabilityPolicy { get; init; }

    /// <summary>The daemon's HTTP port; 0 runs it without HTTP (no status page, no problems in <c>local status</c>).</summary>
    public required int HttpPort { get; init; }

    /// <summary>--instance-poll-time as given (passed to the daemon unchanged) and its value.</summary>
    public required string InstancePollTimeText { get; init; }

    public required TimeSpan InstancePollTime { get; init; }

    /// <summary>How long up waits for the orchestrator to elect the primaries.</summary>
    public required TimeSpan ElectionTimeout { get; init; }

    /// <summary>--recovery-period-block-duration as given (passed to the daemon unchanged) and its value.</summary>
    public string RecoveryPeriodBlockDurationText { get; init; } = "30s";

    public TimeSpan RecoveryPeriodBlockDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>--rdonly: how many of each shard's tablets are RDONLY (the last ones).</summary>
    public int RdonlyPerShard { get; init; }

    /// <summary>Flags given after <c>--</c>, passed to the orchestrator daemon as they are (it validates them).</summary>
    public IReadOnlyList<string> DaemonFlags { get; init; } = [];

    /// <summary>Checks every flag; the exception names the flag and quotes the value.</summary>
    /// <exception cref="ArgumentException">A flag value is not acceptable.</exception>
    public static LocalUpSettings Parse(string directory, int tablets, string cells, string shards, string keyspace, string durability, int port,
        string instancePollTime, string electionTimeout, string recoveryPeriodBlockDuration = "30s", int rdonly = 0,
        IReadOnlyList<string>? daemonFlags = null)
    {
        if (rdonly < 0 || rdonly >= tablets)
        {
            throw new ArgumentException($"--rdonly \"{rdonly}\" must leave at least one REPLICA per shard (0 to {tablets - 1} with --tablets {tablets})");
        }
        foreach (var flag in daemonFlags ?? [])
        {
            if (!flag.StartsWith('-'))
            {
                throw new ArgumentException($"\"{flag}\" after -- is not a flag; give the orchestrator's flags as --name=value");
            }
        }
        if (tablets is < 1 or > MaxTabletsPerShard)
        {
            throw new ArgumentException($"--tablets \"{tablets}\" must be between 1 and {MaxTabletsPerShard} (tablets per shard)");
        }
        var cellList = SplitList("--cells", cells);
        foreach (var cell in cellList)
        {
            Check("--cells", cell, () => TopoNames.ValidateCell(cell));
        }
        var shardList = SplitList("--shards", shards);
        foreach (var shard in shardList)
        {
            Check("--shards", shard, () => TopoNames.ValidateShard(shard));
        }
        if (shardList.Count > 9)
        {
            throw new ArgumentException($"--shards \"{shards}\" names {shardList.Count} shards; at most 9 (tablet uids are 100×(shard number)+i)");
        }
        Check("--keyspace", keyspace, () => TopoNames.ValidateKeyspace(keyspace));
        if (!CtlContext.Durability.TryGet(durability, out var policy) || policy is null)
        {
            throw new ArgumentException($"--durability \"{durability}\" is not a durability policy; known: {string.Join(", ", CtlContext.Durability.Names)}");
        }
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port \"{port}\" must be between 0 (no HTTP server) and 65535");
        }
        var pollTime = Duration("--instance-poll-time", instancePollTime);
        var election = Duration("--election-timeout", electionTimeout);
        var block = Duration("--recovery-period-block-duration", recoveryPeriodBlockDuration, allowZero: true);
        return new LocalUpSettings
        {
            Directory = directory,
            TabletsPerShard = tablets,
            Cells = cellList,
            Shards = shardList,
            Keyspace = keyspace,
            DurabilityPolicy = policy.Name,
            HttpPort = port,
            InstancePollTimeText = instancePollTime,
            InstancePollTime = pollTime,
            ElectionTimeout = election,
            RecoveryPeriodBlockDurationText = recoveryPeriodBlockDuration,
            RecoveryPeriodBlockDuration = block,
            RdonlyPerShard = rdonly,
            DaemonFlags = daemonFlags ?? [],
        };
    }

    private static TimeSpan Duration(string flag, string text, bool allowZero = false)
    {
        if (!GoDuration.TryParse(text, out var value, out var error) || value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
        {
            throw new ArgumentException($"{flag} \"{text}\" is not a {(allowZero ? "" : "positive ")}duration like 1s or 500ms" +
                (error is null ? "" : $": {error}"));
        }
        return value;
    }

    private static List<string> SplitList(string flag, string text)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Length == 0 || items.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"{flag} \"{text}\" must be a comma-separated list without empty entries");
        }
        if (items.Distinct(StringComparer.Ordinal).Count() != items.Length)
        {
            throw new ArgumentException($"{flag} \"{text}\" names an entry twice");
        }
        return [.. items];
    }

    private static void Check(string flag, string value, Action validate)
    {
        try
        {
            validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or TopoException)
        {
            throw new ArgumentException($"{flag}: \"{value}\": {e.Message}", e);
        }
    }
}
