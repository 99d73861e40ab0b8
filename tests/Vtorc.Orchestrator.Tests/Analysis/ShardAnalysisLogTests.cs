using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Testing;

namespace Vtorc.Orchestrator.Tests.Analysis;

/// <summary>
/// What the recovery tick logs about shards waiting for their tablets' first poll: at a daemon's start that is every
/// shard of the fleet, so one line when the wait starts and one when it is over, not two per shard.
/// </summary>
public sealed class ShardAnalysisLogTests
{
    private readonly FakeLogger<ShardAnalysisLog> _logger = new();

    [Fact]
    public void Shards_waiting_for_first_polls_are_told_in_one_line_when_the_wait_starts_and_one_when_it_ends()
    {
        var log = new ShardAnalysisLog(_logger);

        log.Observe([Waiting("-40"), Waiting("40-80"), Waiting("80-")]);
        log.Observe([Waiting("-40"), Analysed("40-80"), Waiting("80-")]);
        log.Observe([Analysed("-40"), Analysed("40-80"), Analysed("80-")]);
        log.Observe([Analysed("-40"), Analysed("40-80"), Analysed("80-")]);

        Assert.Equal(
            [
                "Not analysing 3 shard(s) yet: they have tablets whose first poll has not ended (for example ks/-40: waiting for the first poll of zone1-0000000100 to end)",
                "Every shard that waited for its tablets' first poll is analysed now (up to 3 shard(s) waited at once)",
            ],
            _logger.Lines.Where(l => l.Level == LogLevel.Information).Select(l => l.Message));
    }

    [Fact]
    public void A_shard_skipped_for_another_reason_is_still_told_on_its_own()
    {
        var log = new ShardAnalysisLog(_logger);

        log.Observe([Waiting("-80"), new ShardAnalysisResult("ks", "80-", [], ShardSkipReason.NoDurabilityPolicy, "no durability_policy")]);

        Assert.True(_logger.Has(LogLevel.Information, "Not analysing ks/80-: no durability_policy"), _logger.ToString());
        Assert.True(_logger.Has(LogLevel.Information, "Not analysing 1 shard(s) yet"), _logger.ToString());
    }

    private static ShardAnalysisResult Waiting(string shard) =>
        new("ks", shard, [], ShardSkipReason.AwaitingFirstPoll, "waiting for the first poll of zone1-0000000100 to end");

    private static ShardAnalysisResult Analysed(string shard) => new("ks", shard, [], ShardSkipReason.None, null);
}
