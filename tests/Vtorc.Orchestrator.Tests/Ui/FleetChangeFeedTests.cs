using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http.Ui;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Ui;

public sealed class FleetChangeFeedTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static ShardSnapshot Shard(uint primary)
    {
        var scenario = new ShardScenario();
        scenario.Primary(primary);
        scenario.Replica(primary + 1, source: primary);
        return scenario.Build();
    }

    [Fact]
    public async Task A_client_that_cannot_keep_up_loses_its_queued_events_and_is_told_to_resync()
    {
        var queries = new FakeOrchestratorQueries { Fleet = [Shard(100)] };
        var feed = new FleetChangeFeed(queries, TimeSpan.FromMilliseconds(5), TimeSpan.FromHours(1), NullLogger.Instance);
        feed.Start();
        var body = new GatedStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var serving = feed.ServeAsync(context);
        await Poll.UntilAsync(() => Task.FromResult(feed.Clients == 1), Deadline, "the stream is registered");

        // The client's first write hangs; the fleet changes at every tick until its buffer overflows.
        uint primary = 100;
        await Poll.UntilAsync(() =>
        {
            primary = primary == 100 ? 200u : 100u;
            queries.Fleet = [Shard(primary)];
            return Task.FromResult(feed.Overflows > 0);
        }, Deadline, "the slow client's buffer overflowed");
        body.Open();

        await Poll.UntilAsync(() => Task.FromResult(body.Text.Contains("event: resync\n", StringComparison.Ordinal)), Deadline, "the client is told to resync");
        await feed.DisposeAsync();
        await serving.WaitAsync(Deadline);
        Assert.Equal(0, feed.Clients);
        Assert.True(Count(body.Text, "event: change\n") < FleetChangeFeed.ClientBuffer,
            $"the overflowed events were dropped, not all sent: {body.Text}");
    }

    [Fact]
    public async Task The_first_look_after_a_page_connects_announces_everything_as_the_page_may_have_fetched_before_a_change()
    {
        // The fleet never changes here, as when it changed between the page's fetch and the feed's first look: the
        // first look has nothing to compare with, so only announcing everything tells the page to fetch again.
        var queries = new FakeOrchestratorQueries { Fleet = [Shard(100)] };
        var feed = new FleetChangeFeed(queries, TimeSpan.FromMilliseconds(5), TimeSpan.FromHours(1), NullLogger.Instance);
        feed.Start();
        var body = new GatedStream();
        body.Open();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var serving = feed.ServeAsync(context);

        await Poll.UntilAsync(() => Task.FromResult(body.Text.Contains("event: change\n", StringComparison.Ordinal)), Deadline,
            "the first look after the page connected is announced");
        Assert.Contains("event: hello\n", body.Text, StringComparison.Ordinal);
        Assert.Contains($"event: change\ndata: {FleetChangeFeed.Everything}\n\n", body.Text, StringComparison.Ordinal);
        Assert.Equal("{\"Overview\":true,\"Shards\":[],\"AllShards\":true,\"Switches\":true}", FleetChangeFeed.Everything);
        await feed.DisposeAsync();
        await serving.WaitAsync(Deadline);
    }

    [Fact]
    public void A_change_of_many_shards_or_of_a_recovery_switch_is_sent_as_all_shards_and_no_change_as_nothing()
    {
        var many = Enumerable.Range(0, FleetChangeFeed.MaxShardsPerEvent + 1)
            .Select(i => { var s = new ShardScenario("ks", $"{i}"); s.Primary((uint)(100 + (i * 2))); return s.Build(); }).ToList();
        var before = FleetFingerprint.Of(many, DetectionAnalyzer.AnalyzeAll(many, AnalysisSettings.Default, ShardScenario.Now),
            new Dictionary<(string, string), LastRecoveryOutcome>(), [], false, []);
        var after = FleetFingerprint.Of(many, DetectionAnalyzer.AnalyzeAll(many, AnalysisSettings.Default, ShardScenario.Now),
            new Dictionary<(string, string), LastRecoveryOutcome>(), [], true, []);
        var empty = FleetFingerprint.Of([], [], new Dictionary<(string, string), LastRecoveryOutcome>(), [], false, []);
        var shardOff = FleetFingerprint.Of(many, DetectionAnalyzer.AnalyzeAll(many, AnalysisSettings.Default, ShardScenario.Now),
            new Dictionary<(string, string), LastRecoveryOutcome>(), [], false, [new RecoveryDisable(RecoveryScope.ForShard("ks", "0"), "ui", "test", ShardScenario.Now)]);

        Assert.Null(FleetChangeFeed.Describe(before, before));
        Assert.Equal("{\"Overview\":true,\"Shards\":[],\"AllShards\":true,\"Switches\":true}", FleetChangeFeed.Describe(before, after));
        Assert.Equal("{\"Overview\":true,\"Shards\":[],\"AllShards\":true,\"Switches\":true}", FleetChangeFeed.Describe(before, shardOff));
        Assert.Equal("{\"Overview\":true,\"Shards\":[],\"AllShards\":true,\"Switches\":false}", FleetChangeFeed.Describe(empty, before));
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    /// <summary>A response body whose writes wait until <see cref="Open"/>: a client that does not read.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Open() => _gate.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            lock (_text)
            {
                _text.Append(Encoding.UTF8.GetString(buffer.Span));
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
