using System.Text.Json;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Snapshot;
using Vtorc.Orchestrator.Tests.Analysis;
using Vtorc.Reparent.Durability;

namespace Vtorc.Orchestrator.Tests.Snapshot;

public class ShardSnapshotDocumentTests
{
    private static readonly AnalysisSettings Settings = new()
    {
        InstancePollTime = TimeSpan.FromMilliseconds(2500),
        ReasonableReplicationLag = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Shards covering a dead primary, errant GTIDs, a never-polled tablet, semi-sync misconfiguration, ERS switches and
    /// a skipped keyspace.
    /// </summary>
    private static IReadOnlyList<ShardSnapshot> Shards()
    {
        var dead = new ShardScenario();
        var p = dead.Primary();
        var r1 = dead.Replica(101);
        var r2 = dead.Replica(102);
        dead.Unreachable(p).StopReplication(r1).StopReplication(r2);
        var window = AnalysisSettings.Default.PrimaryHealthWindow;
        dead.Observe(p, o => o with
        {
            PrimaryHealth = PrimaryHealthWindow.Empty.Record(ShardScenario.Now.AddSeconds(-20), true, window)
                .Record(ShardScenario.Now.AddSeconds(-10).AddTicks(1234567), false, window),
        });
        dead.Observe(r1, o => o with
        {
            LastIoError = "error connecting to source 'repl@mysql-100:3306' <timeout> & retry",
            SelfBinlogCoordinates = new BinlogCoordinates("binlog.000003", 4711, 0),
            ReplicationLagSeconds = null,
            SemiSyncPrimaryTimeout = ulong.MaxValue,
            HeartbeatInterval = 1.5,
            SourceSilenceSeconds = 7.25,
            LastChecked = o.LastChecked.AddTicks(1234567),
            LastSeen = o.LastSeen.AddTicks(1234567),
            LastAttemptedCheck = o.LastAttemptedCheck.AddTicks(1234567),
        });

        var errant = new ShardScenario();
        errant.Primary();
        var e1 = errant.Replica(101);
        errant.Replica(102);
        var e3 = errant.Rdonly(103);
        errant.Observe(e1, o => o with { GtidErrant = ShardScenario.UuidOf(101) + ":1-3", GtidErrantCount = 3 });
        errant.NeverPolled(e3);

        var healthy = new ShardScenario();
        healthy.Primary();
        healthy.Replica(101);

        return
        [
            ShardCopies.Renamed(dead.Build(), "commerce", "-80", keyspaceErsDisabled: false, shardErsDisabled: true),
            ShardCopies.Renamed(errant.Build(), "commerce", "80-"),
            ShardCopies.Renamed(healthy.Build(), "customer", "0", durability: DurabilityPolicyNames.SemiSync, keyspaceErsDisabled: true),
            ShardCopies.Renamed(healthy.Build(), "legacy", "0", durability: ""),
        ];
    }

    private static string AnalysisJson(IEnumerable<ShardSnapshot> shards, AnalysisSettings settings, DateTimeOffset now) =>
        DetectionAnalysisJson.Write(DetectionAnalysisJson.Select(DetectionAnalyzer.AnalyzeAll(shards, settings, now), null, null));

    [Fact]
    public void Analysis_of_the_imported_file_equals_the_analysis_of_the_original()
    {
        var shards = Shards();
        var captured = ShardScenario.Now.AddSeconds(3);
        var imported = ShardSnapshotDocument.Import(ShardSnapshotDocument.Export(shards, Settings, captured));

        foreach (var now in new[] { captured, captured.AddMinutes(5) })
        {
            var expected = AnalysisJson(shards, Settings, now);
            Assert.Equal(expected, AnalysisJson(imported.Shards, imported.Settings, now));
        }
        var original = AnalysisJson(shards, Settings, captured);
        Assert.Contains($"\"Analysis\": \"{AnalysisCodes.DeadPrimary}\"", original);
        Assert.Contains($"\"Analysis\": \"{AnalysisCodes.ErrantGtidDetected}\"", original);
        var skipped = DetectionAnalyzer.AnalyzeAll(imported.Shards, imported.Settings, captured).Where(r => r.IsSkipped).ToList();
        Assert.Equal("legacy", Assert.Single(skipped).Keyspace);
    }

    [Fact]
    public void Import_restores_records_observations_settings_and_capture_time()
    {
        var shards = Shards();
        var captured = new DateTimeOffset(2026, 11, 22, 6, 0, 3, TimeSpan.Zero).AddTicks(1);
        var imported = ShardSnapshotDocument.Import(ShardSnapshotDocument.Export(shards, Settings, captured));

        Assert.Equal(captured, imported.CapturedAt);
        Assert.Equal(Settings, imported.Settings);
        Assert.Equal(shards.Count, imported.Shards.Count);
        for (int i = 0; i < shards.Count; i++)
        {
            var (a, b) = (shards[i], imported.Shards[i]);
            Assert.Equal(a.Keyspace, b.Keyspace);
            Assert.Equal(a.Shard, b.Shard);
            Assert.Equal(a.Tablets.Select(t => t.Tablet), b.Tablets.Select(t => t.Tablet));
            Assert.Equal(a.Observations.OrderBy(o => o.Key), b.Observations.OrderBy(o => o.Key));
            Assert.Equal(a.Durability?.Name, b.Durability?.Name);
            Assert.Equal(a.DurabilityProblem, b.DurabilityProblem);
        }
    }

    [Fact]
    public void Export_writes_the_documented_top_level_fields()
    {
        var json = ShardSnapshotDocument.Export(Shards(), Settings, ShardScenario.Now);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["format_version", "captured_at", "settings", "shards"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("2026-11-22T06:00:00Z", root.GetProperty("captured_at").GetString());
        Assert.Equal(2.5, root.GetProperty("settings").GetProperty("instance_poll_time_seconds").GetDouble());
        var shard = root.GetProperty("shards")[0];
        Assert.Equal(["keyspace", "shard", "tablets", "observations"], shard.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(shard.GetProperty("shard").GetProperty("emergency_reparent_disabled").GetBoolean());
        Assert.Equal("PRIMARY", shard.GetProperty("tablets")[0].GetProperty("type").GetString());
        Assert.Equal("zone1", shard.GetProperty("tablets")[0].GetProperty("alias").GetProperty("cell").GetString());
        var observation = shard.GetProperty("observations")[1];
        Assert.Equal("stopped", observation.GetProperty("replication_io_thread_state").GetString());
        Assert.Equal(JsonValueKind.Null, observation.GetProperty("replication_lag_seconds").ValueKind);
        Assert.DoesNotContain("<timeout>", json);
        Assert.Equal(75, root.GetProperty("settings").GetProperty("primary_health_window_seconds").GetDouble());
        var health = shard.GetProperty("observations")[0].GetProperty("primary_health");
        Assert.False(health.GetProperty("unhealthy").GetBoolean());
        Assert.Equal([true, false], health.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("success").GetBoolean()).ToArray());
        Assert.False(observation.TryGetProperty("primary_health", out _));
    }

    [Fact]
    public void An_unhealthy_primary_health_window_round_trips_and_replays_as_IncapacitatedPrimary()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        s.Replica(101);
        var length = TimeSpan.FromSeconds(50);
        var health = PrimaryHealthWindow.Empty;
        foreach (int seconds in new[] { -30, -20, -10 })
        {
            health = health.Record(ShardScenario.Now.AddSeconds(seconds), false, length);
        }
        s.Unreachable(p).Observe(p, o => o with { PrimaryHealth = health });
        var settings = AnalysisSettings.Default with { PrimaryHealthWindow = length };

        var imported = ShardSnapshotDocument.Import(ShardSnapshotDocument.Export([s.Build()], settings, ShardScenario.Now));

        Assert.Equal(length, imported.Settings.PrimaryHealthWindow);
        Assert.Equal(health, imported.Shards[0].Observations[p].PrimaryHealth);
        Assert.True(imported.Shards[0].Observations[p].PrimaryHealth.Unhealthy);
        string CodeAt(DateTimeOffset now) =>
            DetectionAnalyzer.Analyze(imported.Shards[0], imported.Settings, now).Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis;
        Assert.Equal(AnalysisCodes.IncapacitatedPrimary, CodeAt(ShardScenario.Now));
        Assert.Equal(AnalysisCodes.UnreachablePrimary, CodeAt(ShardScenario.Now.AddSeconds(45)));
    }

    [Fact]
    public void Shard_peer_reports_and_quorum_settings_round_trip_and_replay_as_PrimaryTabletUnreachableByQuorum()
    {
        var s = new ShardScenario().WithDurability(Vtorc.Reparent.Durability.DurabilityPolicyNames.SemiSync);
        var p = s.Primary();
        s.Unreachable(p);
        foreach (uint uid in new uint[] { 101, 102 })
        {
            s.Replica(uid);
            s.Observe(ShardScenario.AliasOf(uid), o => o with
            {
                SelfReportedType = Topodata.TabletType.Replica,
                ShardPeerHealth = [new ShardPeerReport(p, 4, ShardScenario.Now.AddSeconds(-2), TimeSpan.FromMilliseconds(1500))],
            });
        }
        var settings = AnalysisSettings.Default with { Quorum = QuorumSettings.Default with { Enabled = true, Fraction = 0.5, Freshness = TimeSpan.FromSeconds(9) } };

        var imported = ShardSnapshotDocument.Import(ShardSnapshotDocument.Export([s.Build()], settings, ShardScenario.Now));

        Assert.Equal(settings, imported.Settings);
        var replica = imported.Shards[0].Observations[ShardScenario.AliasOf(101)];
        Assert.Equal(Topodata.TabletType.Replica, replica.SelfReportedType);
        Assert.Equal(s.Build().Observations[ShardScenario.AliasOf(101)].ShardPeerHealth, replica.ShardPeerHealth);
        Assert.Equal(AnalysisCodes.PrimaryTabletUnreachableByQuorum,
            DetectionAnalyzer.Analyze(imported.Shards[0], imported.Settings, ShardScenario.Now).Analyses.Single(a => a.AnalyzedInstanceAlias == p).Analysis);
    }

    [Fact]
    public void A_snapshot_without_the_health_window_setting_uses_the_default()
    {
        var json = ShardSnapshotDocument.Export([], AnalysisSettings.Default with { PrimaryHealthWindow = TimeSpan.FromSeconds(9) }, ShardScenario.Now)
            .Replace("\"primary_health_window_seconds\": 9,", "", StringComparison.Ordinal)
            .Replace(",\n  \"primary_health_window_seconds\": 9", "", StringComparison.Ordinal);
        Assert.DoesNotContain("primary_health_window_seconds", json);
        Assert.Equal(AnalysisSettings.Default.PrimaryHealthWindow, ShardSnapshotDocument.Import(json).Settings.PrimaryHealthWindow);
    }

    [Fact]
    public void An_empty_state_round_trips()
    {
        var imported = ShardSnapshotDocument.Import(ShardSnapshotDocument.Export([], AnalysisSettings.Default, ShardScenario.Now));
        Assert.Empty(imported.Shards);
        Assert.Equal(AnalysisSettings.Default, imported.Settings);
    }

    private static string Valid() => ShardSnapshotDocument.Export(Shards(), Settings, ShardScenario.Now);

    private static SnapshotFormatException ImportFails(string json) =>
        Assert.Throws<SnapshotFormatException>(() => ShardSnapshotDocument.Import(json));

    private static string Edit(Action<System.Text.Json.Nodes.JsonNode> change)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Valid())!;
        change(node);
        return node.ToJsonString();
    }

    [Fact]
    public void Import_of_text_that_is_not_JSON_says_so()
    {
        var e = ImportFails("{ not json");
        Assert.StartsWith("not valid JSON", e.Message);
        Assert.Equal("", e.Path);
    }

    [Fact]
    public void Import_of_a_non_object_names_the_document() =>
        Assert.Contains("expected an object, got an array", ImportFails("[]").Message);

    [Fact]
    public void Import_names_a_missing_format_version()
    {
        var e = ImportFails(Edit(n => n.AsObject().Remove("format_version")));
        Assert.Equal("format_version", e.Path);
        Assert.Equal("format_version: is missing", e.Message);
    }

    [Fact]
    public void Import_refuses_an_unknown_format_version()
    {
        var e = ImportFails(Edit(n => n["format_version"] = 2));
        Assert.Equal("format_version", e.Path);
        Assert.Contains("version 2 is not supported", e.Message);
    }

    [Fact]
    public void Import_names_a_bad_time_and_quotes_it()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["observations"]![1]!["last_seen"] = "yesterday"));
        Assert.Equal("shards[0].observations[1].last_seen", e.Path);
        Assert.Contains("\"yesterday\"", e.Message);
    }

    [Fact]
    public void Import_names_a_bad_enumeration_value()
    {
        var e = ImportFails(Edit(n => n["shards"]![1]!["observations"]![0]!["replication_sql_thread_state"] = "sleeping"));
        Assert.Equal("shards[1].observations[0].replication_sql_thread_state", e.Path);
        Assert.Contains("\"running\"", e.Message);
    }

    [Fact]
    public void Import_names_a_wrongly_typed_field()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["keyspace"]!["emergency_reparent_disabled"] = "no"));
        Assert.Equal("shards[0].keyspace.emergency_reparent_disabled", e.Path);
        Assert.Contains("expected true or false, got \"no\"", e.Message);
    }

    [Fact]
    public void Import_names_a_port_out_of_range()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["observations"]![0]!["port"] = 70000));
        Assert.Equal("shards[0].observations[0].port", e.Path);
    }

    [Fact]
    public void Import_refuses_an_observation_of_a_tablet_not_in_the_shard()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["observations"]![0]!["alias"] = "zone9-0000000999"));
        Assert.Equal("shards[0].observations[0].alias", e.Path);
        Assert.Contains("\"zone9-0000000999\" is not one of this shard's tablets", e.Message);
    }

    [Fact]
    public void Import_refuses_a_tablet_of_another_shard()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["tablets"]![2]!["shard"] = "80-"));
        Assert.Equal("shards[0].tablets[2]", e.Path);
        Assert.Contains("belongs to \"commerce/80-\"", e.Message);
    }

    [Fact]
    public void Import_refuses_a_tablet_record_that_is_not_one()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["tablets"]![0]!["type"] = "CAPTAIN"));
        Assert.Equal("shards[0].tablets[0]", e.Path);
        Assert.Contains("not a Vitess tablet record", e.Message);
    }

    [Fact]
    public void Import_refuses_a_tablet_without_an_alias()
    {
        var e = ImportFails(Edit(n => n["shards"]![0]!["tablets"]![0]!.AsObject().Remove("alias")));
        Assert.Equal("shards[0].tablets[0].alias", e.Path);
    }

    [Fact]
    public void Import_refuses_the_same_shard_twice()
    {
        var e = ImportFails(Edit(n => n["shards"]![1] = n["shards"]![0]!.DeepClone()));
        Assert.Equal("shards[1]", e.Path);
        Assert.Contains("\"commerce/-80\" appears twice (also at shards[0])", e.Message);
    }

    [Fact]
    public void Import_refuses_negative_durations()
    {
        var e = ImportFails(Edit(n => n["settings"]!["reasonable_replication_lag_seconds"] = -1));
        Assert.Equal("settings.reasonable_replication_lag_seconds", e.Path);
    }

    [Fact]
    public void Import_needs_the_shards_array()
    {
        var e = ImportFails(Edit(n => n["shards"] = "none"));
        Assert.Equal("shards", e.Path);
        Assert.Contains("expected an array", e.Message);
    }
}
