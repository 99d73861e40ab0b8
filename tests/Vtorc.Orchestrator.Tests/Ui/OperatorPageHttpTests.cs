using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Http.Ui;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Tests.Analysis;

namespace Vtorc.Orchestrator.Tests.Ui;

/// <summary>The operator page, its read model and its event stream over HTTP, on a fake daemon (no process outside the test host).</summary>
public sealed partial class OperatorPageHttpTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly FakeOrchestratorQueries _queries = new();
    private readonly VtorcMetrics _metrics = new();
    private OrchestratorHttpServer _server = null!;
    private HttpClient _client = null!;
    private string _replica = "";

    public async Task InitializeAsync()
    {
        _queries.Fleet = [Shard(stopped: false)];
        _server = await OrchestratorHttpServer.StartAsync(_queries, new UnusedOrchestratorActions(), _metrics,
            new HttpServerOptions
            {
                Port = 0, BindAddress = "127.0.0.1", UiEventsInterval = TimeSpan.FromMilliseconds(50), UiEventsHeartbeat = TimeSpan.FromMilliseconds(200),
            },
            NullLoggerFactory.Instance, CancellationToken.None);
        _client = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = Deadline };
    }

    private ShardSnapshot Shard(bool stopped)
    {
        var scenario = new ShardScenario();
        scenario.Primary(100);
        _replica = scenario.Replica(101);
        scenario.Replica(102);
        if (stopped)
        {
            scenario.StopReplication(_replica);
        }
        return scenario.Build();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _metrics.Dispose();
    }

    [Fact]
    public async Task The_page_has_a_strict_content_security_policy_and_its_assets_are_cached_by_content()
    {
        using var page = await _client.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        var script = ScriptPath().Match(html).Groups[1].Value;
        using var asset = await _client.GetAsync(script);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.TryAddWithoutValidation("If-None-Match", page.Headers.ETag!.Tag);
        using var notModified = await _client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(UiAssets.ContentSecurityPolicy, Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self'", UiAssets.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe-inline", UiAssets.ContentSecurityPolicy);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.DoesNotContain("<script>", html);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());
        Assert.Contains("document.body.dataset.ready", await asset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [GeneratedRegex("<script src=\"(/ui/app\\.[0-9a-f]{16}\\.js)\"")]
    private static partial Regex ScriptPath();

    [Fact]
    public async Task The_overview_lists_the_problem_and_refuses_a_bad_state_naming_it()
    {
        _queries.Fleet = [Shard(stopped: true)];

        using var overview = JsonDocument.Parse(await _client.GetStringAsync("/api/ui/overview?state=problem"));
        using var bad = await _client.GetAsync("/api/ui/overview?state=bogus");

        var problem = overview.RootElement.GetProperty("Problems")[0];
        Assert.Equal((AnalysisCodes.ReplicationStopped, _replica, "pending"),
            (problem.GetProperty("Analysis").GetString(), problem.GetProperty("Alias").GetString(), problem.GetProperty("Status").GetString()));
        Assert.Equal("ks", overview.RootElement.GetProperty("Shards")[0].GetProperty("Keyspace").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Invalid value for state", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_shard_view_answers_for_a_known_shard_and_404_naming_an_unknown_one()
    {
        using var known = JsonDocument.Parse(await _client.GetStringAsync("/api/ui/shard?keyspace=ks&shard=0"));
        using var unknown = await _client.GetAsync("/api/ui/shard?keyspace=ks&shard=-80");
        using var missing = await _client.GetAsync("/api/ui/shard?shard=0");

        Assert.Equal(3, known.RootElement.GetProperty("Tablets").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("shard ks/-80 is not known", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Missing value for keyspace", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_event_stream_says_hello_then_names_the_shard_that_changed_and_sends_heartbeats()
    {
        using var stream = await EventStream.OpenAsync(_client);
        await stream.ReadUntilAsync(l => l == "event: hello", Deadline);
        await Poll.UntilAsync(() => Task.FromResult(_server.UiEvents.Clients == 1), Deadline, "the stream is registered");

        await stream.ReadUntilAsync(l => l == ": heartbeat", Deadline);
        _queries.Fleet = [Shard(stopped: true)];
        await stream.ReadUntilAsync(l => l == "event: change", Deadline);
        var data = await stream.ReadLineAsync(Deadline);

        Assert.Equal("data: {\"Overview\":true,\"Shards\":[\"ks/0\"],\"AllShards\":false,\"Switches\":false}", data);
    }

    [Fact]
    public async Task A_client_that_goes_away_is_dropped()
    {
        var stream = await EventStream.OpenAsync(_client);
        await stream.ReadUntilAsync(l => l == "event: hello", Deadline);
        await Poll.UntilAsync(() => Task.FromResult(_server.UiEvents.Clients == 1), Deadline, "the stream is registered");

        stream.Dispose();

        await Poll.UntilAsync(() => Task.FromResult(_server.UiEvents.Clients == 0), Deadline, "the closed stream is dropped");
    }

    [Fact]
    public async Task Daemon_shutdown_ends_every_stream_and_refuses_new_ones()
    {
        using var stream = await EventStream.OpenAsync(_client);
        await stream.ReadUntilAsync(l => l == "event: hello", Deadline);

        _queries.ShuttingDown = true;

        await stream.ReadUntilAsync(l => l == "event: shutdown", Deadline);
        await stream.ReadToEndAsync(Deadline);
        using var late = await EventStream.OpenAsync(_client);
        await late.ReadUntilAsync(l => l == "event: shutdown", Deadline);
        await late.ReadToEndAsync(Deadline);
    }

    [Fact]
    public async Task Stopping_the_server_ends_the_streams()
    {
        await using var server = await OrchestratorHttpServer.StartAsync(_queries, new UnusedOrchestratorActions(), _metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1" }, NullLoggerFactory.Instance, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Deadline };
        using var stream = await EventStream.OpenAsync(client);
        await stream.ReadUntilAsync(l => l == "event: hello", Deadline);

        var stopping = server.DisposeAsync().AsTask();

        await stream.ReadToEndAsync(Deadline);
        await stopping;
    }
}
