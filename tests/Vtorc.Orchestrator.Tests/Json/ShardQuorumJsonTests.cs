using System.Text.Json;
using Topodata;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Json;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Json;

/// <summary>The <c>/api/shard-tablet-health-quorum</c> document (Vitess main's QuorumResult array).</summary>
public sealed class ShardQuorumJsonTests
{
    private static readonly QuorumSettings Settings = QuorumSettings.Default with { Enabled = true, Fraction = 0.5 };

    [Fact]
    public void No_observed_shard_is_an_empty_array()
    {
        var s = new ShardScenario();
        s.Primary();
        s.Replica(101);
        Assert.Equal("[]", ShardQuorumJson.Write([], Settings, ShardScenario.Now));
        Assert.Equal("[]", ShardQuorumJson.Write([s.Build()], Settings, ShardScenario.Now));
    }

    [Fact]
    public void An_observed_shard_shows_its_primary_verdict_counts_thresholds_and_votes()
    {
        var s = new ShardScenario();
        var p = s.Primary();
        string[] replicas = [s.Replica(101), s.Replica(102), s.Rdonly(103)];
        s.Unreachable(p);
        Report(s, replicas[0], p, failures: 4, pingAgeSeconds: 1);
        Report(s, replicas[1], p, failures: 0, pingAgeSeconds: 2);
        Report(s, replicas[2], p, failures: 9, pingAgeSeconds: 60, type: TabletType.Rdonly);

        using var document = JsonDocument.Parse(ShardQuorumJson.Write([s.Build()], Settings, ShardScenario.Now));
        var shard = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal(p, shard.GetProperty("PrimaryAlias").GetString());
        Assert.Equal(ShardScenario.Keyspace, shard.GetProperty("Keyspace").GetString());
        Assert.Equal(ShardScenario.Shard, shard.GetProperty("Shard").GetString());
        // 2 fresh of 3 expected is a majority, and 1 of 2 down meets the fraction 0.5.
        Assert.True(shard.GetProperty("Down").GetBoolean());
        Assert.Equal(1, shard.GetProperty("DownVotes").GetInt32());
        Assert.Equal(2, shard.GetProperty("TotalObservers").GetInt32());
        Assert.Equal(3, shard.GetProperty("EligibleObservers").GetInt32());
        Assert.Equal(3, shard.GetProperty("ExpectedObservers").GetInt32());
        Assert.Equal(0.5, shard.GetProperty("Fraction").GetDouble());
        Assert.Equal(1, shard.GetProperty("MinObservers").GetInt32());
        Assert.Equal(
            [(replicas[0], "REPLICA", true, 4L, "down"), (replicas[1], "REPLICA", true, 0L, "up"), (replicas[2], "RDONLY", false, 9L, "stale")],
            shard.GetProperty("Observers").EnumerateArray().Select(o => (o.GetProperty("Alias").GetString(), o.GetProperty("TabletType").GetString(),
                o.GetProperty("Fresh").GetBoolean(), o.GetProperty("ConsecutiveFailures").GetInt64(), o.GetProperty("Vote").GetString())).ToList());
        Assert.Equal(ShardScenario.Now, shard.GetProperty("EvaluatedAt").GetDateTimeOffset());
    }

    [Fact]
    public void A_shard_without_a_recorded_primary_is_listed_without_votes()
    {
        var s = new ShardScenario();
        var r = s.Replica(101, source: null);
        Report(s, r, ScenarioPrimary, failures: 1, pingAgeSeconds: 1);
        using var document = JsonDocument.Parse(ShardQuorumJson.Write([s.Build()], Settings, ShardScenario.Now));
        var shard = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal("", shard.GetProperty("PrimaryAlias").GetString());
        Assert.False(shard.GetProperty("Down").GetBoolean());
        Assert.Equal(JsonValueKind.Null, shard.GetProperty("Observers").ValueKind);
    }

    private static readonly string ScenarioPrimary = ShardScenario.AliasOf(100);

    private static void Report(ShardScenario s, string observer, string primary, long failures, double pingAgeSeconds,
        TabletType type = TabletType.Replica) =>
        s.Observe(observer, o => o with
        {
            SelfReportedType = type,
            ShardPeerHealth = [new ShardPeerReport(primary, failures, null, TimeSpan.FromSeconds(pingAgeSeconds))],
        });
}
