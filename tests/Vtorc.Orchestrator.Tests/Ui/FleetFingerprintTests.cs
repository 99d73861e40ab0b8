using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http.Ui;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Ui;

public sealed class FleetFingerprintTests
{
    [Fact]
    public void A_change_in_a_shards_operator_reparents_changes_that_shards_detail_only()
    {
        var shards = new[] { "-80", "80-" }.Select((name, i) => { var s = new ShardScenario("ks", name); s.Primary((uint)(100 + (i * 100))); return s.Build(); }).ToList();
        var results = DetectionAnalyzer.AnalyzeAll(shards, AnalysisSettings.Default, ShardScenario.Now);
        FleetFingerprint Of(IReadOnlyDictionary<string, int> revisions) =>
            FleetFingerprint.Of(shards, results, new Dictionary<(string, string), LastRecoveryOutcome>(), [], false, [], revisions);

        var none = Of(new Dictionary<string, int>());
        var started = Of(new Dictionary<string, int> { ["ks/-80"] = 1 });
        var stepped = Of(new Dictionary<string, int> { ["ks/-80"] = 2 });

        Assert.Equal(["ks/-80"], started.ChangedShardsSince(none));
        Assert.Equal(["ks/-80"], stepped.ChangedShardsSince(started));
        Assert.Empty(Of(new Dictionary<string, int> { ["ks/-80"] = 2 }).ChangedShardsSince(stepped));
        // The overview shows none of them: no overview refetch for a step.
        Assert.Equal(none.Summary, stepped.Summary);
        Assert.Equal("{\"Overview\":false,\"Shards\":[\"ks/-80\"],\"AllShards\":false,\"Switches\":false}", FleetChangeFeed.Describe(started, stepped));
    }
}
