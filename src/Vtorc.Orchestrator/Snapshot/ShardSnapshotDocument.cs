using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Snapshot;

/// <summary>
/// The snapshot file operators attach to bug reports (docs/snapshot-format.md): the analysis settings and, per
/// shard, the keyspace and shard records, the tablet records (Vitess's proto JSON, proto field names) and the
/// latest observation of each polled tablet. <see cref="Import"/> rebuilds the same <see cref="ShardSnapshot"/>s,
/// so analysing the imported file at a given time reproduces what the daemon saw at that time.
/// </summary>
public static class ShardSnapshotDocument
{
    public const int FormatVersion = 1;

    private static readonly JsonFormatter TabletFormatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    private static readonly JsonParser TabletParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static string Export(IReadOnlyList<ShardSnapshot> snapshots, AnalysisSettings settings, DateTimeOffset capturedAt)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(settings);
        return GoJsonWriter.Render(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("format_version", FormatVersion);
            writer.WriteGoTime("captured_at", capturedAt);
            writer.WriteStartObject("settings");
            writer.WriteGoFloat("instance_poll_time_seconds", settings.InstancePollTime.TotalSeconds);
            writer.WriteGoFloat("reasonable_replication_lag_seconds", settings.ReasonableReplicationLag.TotalSeconds);
            writer.WriteGoFloat("primary_health_window_seconds", settings.PrimaryHealthWindow.TotalSeconds);
            writer.WriteStartObject("quorum");
            writer.WriteBoolean("enabled", settings.Quorum.Enabled);
            writer.WriteNumber("failure_threshold", settings.Quorum.FailureThreshold);
            writer.WriteGoFloat("freshness_seconds", settings.Quorum.Freshness.TotalSeconds);
            writer.WriteGoFloat("fraction", settings.Quorum.Fraction);
            writer.WriteNumber("min_observers", settings.Quorum.MinObservers);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartArray("shards");
            foreach (var snapshot in snapshots)
            {
                WriteShard(writer, snapshot);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <exception cref="SnapshotFormatException">The text is not a snapshot of a known format version; the message names the field.</exception>
    public static ImportedSnapshot Import(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new SnapshotFormatException("", $"not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = new JsonObjectReader(document.RootElement, "");
            long version = root.Integer("format_version", long.MinValue, long.MaxValue, required: true);
            if (version != FormatVersion)
            {
                throw root.Fail("format_version", string.Create(CultureInfo.InvariantCulture,
                    $"version {version} is not supported (this vtorc reads version {FormatVersion})"));
            }
            var capturedAt = root.Time("captured_at", required: true);
            var settingsReader = root.Object("settings");
            var settings = new AnalysisSettings
            {
                InstancePollTime = Seconds(settingsReader, "instance_poll_time_seconds"),
                ReasonableReplicationLag = Seconds(settingsReader, "reasonable_replication_lag_seconds"),
            };
            // Absent in snapshots of daemons older than IncapacitatedPrimary: the default window.
            if (settingsReader.Element.TryGetProperty("primary_health_window_seconds", out _))
            {
                settings = settings with { PrimaryHealthWindow = Seconds(settingsReader, "primary_health_window_seconds") };
            }
            // Absent in snapshots of daemons older than the quorum detection: off.
            if (settingsReader.Element.TryGetProperty("quorum", out _))
            {
                var q = settingsReader.Object("quorum");
                settings = settings with
                {
                    Quorum = new QuorumSettings
                    {
                        Enabled = q.Bool("enabled"),
                        FailureThreshold = q.Integer("failure_threshold", 0, long.MaxValue, required: true),
                        Freshness = Seconds(q, "freshness_seconds"),
                        Fraction = q.Number("fraction", required: true),
                        MinObservers = (int)q.Integer("min_observers", 0, int.MaxValue, required: true),
                    },
                };
            }
            var policies = DurabilityPolicyRegistry.CreateDefault();
            var shards = new List<ShardSnapshot>();
            var seen = new Dictionary<(string, string), string>();
            foreach (var (element, path) in root.Array("shards"))
            {
                var snapshot = ReadShard(new JsonObjectReader(element, path), policies);
                var key = (snapshot.Keyspace.Name, snapshot.Shard.Shard);
                if (seen.TryGetValue(key, out var earlier))
                {
                    throw new SnapshotFormatException(path, $"shard \"{key.Item1}/{key.Item2}\" appears twice (also at {earlier})");
                }
                seen[key] = path;
                shards.Add(snapshot);
            }
            return new ImportedSnapshot(shards, settings, capturedAt);
        }
    }

    private static void WriteShard(Utf8JsonWriter writer, ShardSnapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("keyspace");
        writer.WriteGoString("name", snapshot.Keyspace.Name);
        writer.WriteGoString("keyspace_type", SnapshotNames.Of(snapshot.Keyspace.KeyspaceType));
        writer.WriteGoString("durability_policy", snapshot.Keyspace.DurabilityPolicy);
        writer.WriteBoolean("emergency_reparent_disabled", snapshot.Keyspace.EmergencyReparentDisabled);
        writer.WriteEndObject();
        writer.WriteStartObject("shard");
        writer.WriteGoString("name", snapshot.Shard.Shard);
        writer.WriteGoString("primary_alias", snapshot.Shard.PrimaryAlias);
        writer.WriteGoTime("primary_term_start_time", snapshot.Shard.PrimaryTermStartTime);
        writer.WriteBoolean("emergency_reparent_disabled", snapshot.Shard.EmergencyReparentDisabled);
        writer.WriteEndObject();
        writer.WriteStartArray("tablets");
        foreach (var tablet in snapshot.Tablets)
        {
            using var proto = JsonDocument.Parse(TabletFormatter.Format(tablet.Tablet));
            proto.RootElement.WriteTo(writer);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("observations");
        foreach (var tablet in snapshot.Tablets)
        {
            if (snapshot.Observations.TryGetValue(tablet.Alias, out var observation))
            {
                ObservationJson.Write(writer, observation);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static ShardSnapshot ReadShard(JsonObjectReader shard, DurabilityPolicyRegistry policies)
    {
        var k = shard.Object("keyspace");
        var keyspace = new KeyspaceRecord(NonEmpty(k, "name"), k.Choice("keyspace_type", SnapshotNames.KeyspaceTypes, KeyspaceType.Normal),
            k.String("durability_policy"), k.Bool("emergency_reparent_disabled"));
        var s = shard.Object("shard");
        var record = new ShardRecord(keyspace.Name, NonEmpty(s, "name"), s.String("primary_alias"), s.Time("primary_term_start_time"),
            s.Bool("emergency_reparent_disabled"));

        var tablets = new List<TabletRecord>();
        var tabletPaths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (element, path) in shard.Array("tablets"))
        {
            var tablet = ReadTablet(element, path);
            if (!string.Equals(tablet.Keyspace, keyspace.Name, StringComparison.Ordinal) || !string.Equals(tablet.Shard, record.Shard, StringComparison.Ordinal))
            {
                throw new SnapshotFormatException(path,
                    $"tablet \"{tablet.Alias}\" belongs to \"{tablet.Keyspace}/{tablet.Shard}\", not to this shard \"{keyspace.Name}/{record.Shard}\"");
            }
            if (!tabletPaths.TryAdd(tablet.Alias, path))
            {
                throw new SnapshotFormatException(path, $"tablet \"{tablet.Alias}\" appears twice (also at {tabletPaths[tablet.Alias]})");
            }
            tablets.Add(tablet);
        }

        var observations = new Dictionary<string, InstanceObservation>(StringComparer.Ordinal);
        foreach (var (element, path) in shard.Array("observations"))
        {
            var observation = ObservationJson.Read(new JsonObjectReader(element, path));
            if (!tabletPaths.ContainsKey(observation.Alias))
            {
                throw new SnapshotFormatException(path + ".alias", $"\"{observation.Alias}\" is not one of this shard's tablets");
            }
            if (!observations.TryAdd(observation.Alias, observation))
            {
                throw new SnapshotFormatException(path + ".alias", $"a second observation of \"{observation.Alias}\"");
            }
        }

        try
        {
            return ShardSnapshot.Create(keyspace, record, tablets, observations, policies);
        }
        catch (ArgumentException e)
        {
            throw new SnapshotFormatException(shard.Path, e.Message, e);
        }
    }

    private static TabletRecord ReadTablet(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SnapshotFormatException(path, $"expected a tablet record object, got {JsonObjectReader.Describe(element)}");
        }
        // Unknown fields are skipped for records written by newer Vitess versions, but since Google.Protobuf 3.27 that
        // setting also skips unknown enum names, which would import a tablet of type "CAPTAIN" as UNKNOWN.
        if (element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && TopodataReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("TabletType").FindValueByName(type.GetString()!) is null)
        {
            throw new SnapshotFormatException(path, $"not a Vitess tablet record: type \"{type.GetString()}\" is not a tablet type");
        }
        Tablet tablet;
        try
        {
            tablet = TabletParser.Parse<Tablet>(element.GetRawText());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new SnapshotFormatException(path, $"not a Vitess tablet record: {e.Message}", e);
        }
        try
        {
            return new TabletRecord(tablet);
        }
        catch (ArgumentException e)
        {
            throw new SnapshotFormatException(path + ".alias", e.Message, e);
        }
    }

    private static string NonEmpty(JsonObjectReader reader, string name)
    {
        var value = reader.RequiredString(name);
        return value.Length != 0 ? value : throw reader.Fail(name, "must not be empty");
    }

    private static TimeSpan Seconds(JsonObjectReader reader, string name)
    {
        double seconds = reader.Number(name, required: true);
        if (seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw reader.Fail(name, string.Create(CultureInfo.InvariantCulture, $"expected a non-negative number of seconds, got {seconds}"));
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
