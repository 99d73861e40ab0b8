using System.Net;
using System.Net.Http;
using System.Text.Json;
using Tabletmanagerdata;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Tests.Live;

namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// The HTTP surface of a real daemon watching a real shard: status codes, content types, texts and JSON shapes of
/// every endpoint, the security policies, and the recovery switches acting on a real problem.
/// </summary>
[Collection(LiveOrchestratorCollection.Name)]
[NeedsExternalProcess]
public sealed class HttpApiLiveTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private static readonly TimeSpan ProblemDeadline = TimeSpan.FromSeconds(60);

    private const string Json = "application/json; charset=utf-8";
    private const string PlainText = "text/plain; charset=utf-8";

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(OrchestratorHttpServer server, string path,
        HttpMethod? method = null)
    {
        using var client = HttpApiFixture.ClientOf(server);
        using var response = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path));
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    private Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(string path, HttpMethod? method = null) =>
        GetAsync(fixture.Server, path, method);

    [Fact]
    public async Task Health_is_200_with_the_VTOrc_fields_once_discovered()
    {
        var (status, type, body) = await GetAsync("/debug/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Json, type);
        using var health = JsonDocument.Parse(body);
        Assert.True(health.RootElement.GetProperty("Healthy").GetBoolean());
        Assert.True(health.RootElement.GetProperty("DiscoveredOnce").GetBoolean());
        foreach (var field in new[] { "Hostname", "Token", "IsActiveNode", "ActiveNode", "Error", "AvailableNodes", "RaftLeader", "RaftHealthyMembers" })
        {
            Assert.True(health.RootElement.TryGetProperty(field, out _), $"/debug/health lacks {field}: {body}");
        }
    }

    [Fact]
    public async Task Liveness_answers_ok_and_the_root_serves_the_operator_page()
    {
        var liveness = await GetAsync("/debug/liveness");
        Assert.Equal((HttpStatusCode.OK, "ok\n"), (liveness.Status, liveness.Body));
        var head = await GetAsync("/debug/status", HttpMethod.Head);
        Assert.Equal((HttpStatusCode.OK, ""), (head.Status, head.Body));

        using var client = HttpApiFixture.ClientOf(fixture.Server);
        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"problems\"", await root.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/detection-analysis")]
    [InlineData("/api/replication-analysis")]
    [InlineData("/api/problems")]
    [InlineData("/api/errant-gtids")]
    public async Task Analysis_endpoints_answer_json_null_for_an_unknown_keyspace_and_400_for_a_shard_without_keyspace(string path)
    {
        var unknown = await GetAsync(path + "?keyspace=nosuch");
        Assert.Equal((HttpStatusCode.OK, Json, "null"), (unknown.Status, unknown.ContentType, unknown.Body));

        var all = await GetAsync(path);
        Assert.Equal((HttpStatusCode.OK, Json), (all.Status, all.ContentType));
        Assert.Contains(JsonDocument.Parse(all.Body).RootElement.ValueKind, new[] { JsonValueKind.Null, JsonValueKind.Array });

        var shardOnly = await GetAsync(path + "?shard=0");
        Assert.Equal((HttpStatusCode.BadRequest, PlainText, "Filtering by shard without keyspace isn't supported\n"),
            (shardOnly.Status, shardOnly.ContentType, shardOnly.Body));
    }

    [Fact]
    public async Task Snapshot_holds_only_the_shards_of_the_keyspace_and_shard_asked_for()
    {
        var (keyspace, shard) = (AgentCluster.Keyspace, AgentCluster.Shard);
        var one = $"{keyspace}/{shard}";

        Assert.Equal([one], await SnapshotShardsAsync("/api/snapshot"));
        Assert.Equal([one], await SnapshotShardsAsync($"/api/snapshot?keyspace={keyspace}"));
        Assert.Equal([one], await SnapshotShardsAsync($"/api/snapshot?keyspace={keyspace}&shard={shard}"));
        Assert.Empty(await SnapshotShardsAsync("/api/snapshot?keyspace=nosuch"));
        Assert.Empty(await SnapshotShardsAsync($"/api/snapshot?keyspace={keyspace}&shard=nosuch"));
    }

    private async Task<IReadOnlyList<string>> SnapshotShardsAsync(string path)
    {
        var (status, type, body) = await GetAsync(path);
        Assert.Equal((HttpStatusCode.OK, Json), (status, type));
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("shards").EnumerateArray()
            .Select(s => $"{s.GetProperty("keyspace").GetProperty("name").GetString()}/{s.GetProperty("shard").GetProperty("name").GetString()}")];
    }

    [Fact]
    public async Task Database_state_lists_the_history_tables_as_tab_indented_json_in_plain_text()
    {
        var (status, type, body) = await GetAsync("/api/database-state");

        Assert.Equal((HttpStatusCode.OK, PlainText), (status, type));
        Assert.Contains("\n\t{", body);
        var tables = JsonDocument.Parse(body).RootElement.EnumerateArray()
            .ToDictionary(t => t.GetProperty("TableName").GetString()!, t => t.GetProperty("Rows"));
        Assert.True(tables["topology_recovery"].GetArrayLength() >= 1, body);
        Assert.Contains("global_recovery_disable", tables.Keys);
    }

    [Fact]
    public async Task Config_maps_the_flag_names_to_their_values()
    {
        var (status, type, body) = await GetAsync("/api/config");

        Assert.Equal((HttpStatusCode.OK, PlainText), (status, type));
        var config = JsonDocument.Parse(body).RootElement;
        Assert.Equal(1_000_000_000, config.GetProperty("instance-poll-time").GetInt64());
        Assert.True(config.GetProperty("allow-emergency-reparent").GetBoolean());
        Assert.Equal("", config.GetProperty("security-policy").GetString());
    }

    [Fact]
    public async Task Shard_tablet_health_quorum_is_an_empty_array_while_no_tablet_reports_shard_peer_health()
    {
        // The fixture's agents run without --track-shard-tablet-health (QuorumFailoverLiveTests has shards that report).
        var (status, type, body) = await GetAsync("/api/shard-tablet-health-quorum");

        Assert.Equal((HttpStatusCode.OK, Json, "[]"), (status, type, body));
    }

    [Fact]
    public async Task Recovery_attempts_answer_a_json_array()
    {
        var (status, type, body) = await GetAsync("/api/recovery-attempts");

        Assert.Equal((HttpStatusCode.OK, Json), (status, type));
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(body).RootElement.ValueKind);
    }

    [Fact]
    public async Task Recoveries_list_the_election_with_its_steps_and_check_the_page()
    {
        var (status, type, body) = await GetAsync("/api/recoveries");

        Assert.Equal((HttpStatusCode.OK, Json), (status, type));
        var election = JsonDocument.Parse(body).RootElement.EnumerateArray()
            .First(r => r.GetProperty("Analysis").GetString() == AnalysisCodes.ClusterHasNoPrimary && r.GetProperty("IsSuccessful").GetBoolean());
        Assert.Equal(fixture.Primary.AliasText, election.GetProperty("SuccessorAlias").GetString());
        Assert.True(election.GetProperty("Steps").GetArrayLength() > 0, body);

        var beyond = await GetAsync("/api/recoveries?page=100000");
        Assert.Equal((HttpStatusCode.OK, "[]"), (beyond.Status, beyond.Body));

        var bad = await GetAsync("/api/recoveries?page=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.StartsWith("Invalid value for page: \"abc\"", bad.Body);
    }

    [Theory]
    [InlineData("/api/ack-recovery?recoveryId=1", "Missing value for comment")]
    [InlineData("/api/ack-recovery?recoveryId=one&comment=x", "Invalid value for recoveryId: \"one\"")]
    [InlineData("/api/ack-recovery?comment=x", "Missing value for recoveryId")]
    [InlineData("/api/ack-recovery?keyspace=ks&comment=x", "Missing value for shard")]
    [InlineData("/api/ack-recovery?recoveryId=1&keyspace=ks&shard=0&comment=x", "Invalid parameters")]
    public async Task Ack_recovery_refuses_bad_parameters_naming_them(string path, string message)
    {
        var (status, type, body) = await GetAsync(path);

        Assert.Equal((HttpStatusCode.BadRequest, PlainText), (status, type));
        Assert.StartsWith(message, body);
    }

    [Fact]
    public async Task Ack_recovery_acknowledges_once_and_the_status_page_shows_it_escaped()
    {
        var recoveries = await fixture.Daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline());
        var election = recoveries.First(r => r.Analysis == AnalysisCodes.ClusterHasNoPrimary && !r.IsActive);

        var first = await GetAsync($"/api/ack-recovery?recoveryId={election.RecoveryId}&by=alice&comment=%3Cscript%3Echecked%3C%2Fscript%3E",
            HttpMethod.Post);
        var second = await GetAsync($"/api/ack-recovery?recoveryId={election.RecoveryId}&comment=again");

        Assert.Equal((HttpStatusCode.OK, PlainText, "Acknowledged 1 recovery\n"), (first.Status, first.ContentType, first.Body));
        Assert.Equal("Acknowledged 0 recoveries\n", second.Body);
        var listed = JsonDocument.Parse((await GetAsync("/api/recoveries")).Body).RootElement.EnumerateArray()
            .Single(r => r.GetProperty("RecoveryId").GetInt64() == election.RecoveryId);
        Assert.True(listed.GetProperty("Acknowledged").GetBoolean());
        Assert.Equal("alice", listed.GetProperty("AcknowledgedBy").GetString());
        var page = (await GetAsync("/debug/status")).Body;
        Assert.Contains("&lt;script&gt;checked&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>", page);
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api/aggregated-discovery-metrics")]
    [InlineData("/debug/nope")]
    public async Task Unknown_paths_are_404(string path)
    {
        var (status, _, body) = await GetAsync(path);

        Assert.Equal((HttpStatusCode.NotFound, "404 page not found\n"), (status, body));
    }

    [Fact]
    public async Task Reads_refuse_POST_and_actions_accept_it()
    {
        var post = await GetAsync("/api/problems", HttpMethod.Post);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.Status);

        var enable = await GetAsync("/api/enable-global-recoveries", HttpMethod.Post);
        Assert.Equal((HttpStatusCode.OK, PlainText, "Global recoveries enabled\n"), (enable.Status, enable.ContentType, enable.Body));
    }

    [Fact]
    public async Task Metrics_and_vars_expose_the_vtorc_stats()
    {
        var metrics = await GetAsync("/metrics");
        Assert.Equal((HttpStatusCode.OK, "text/plain; version=0.0.4; charset=utf-8"), (metrics.Status, metrics.ContentType));
        Assert.Contains("\nvtorc_", "\n" + metrics.Body);

        var vars = await GetAsync("/debug/vars");
        Assert.Equal((HttpStatusCode.OK, Json), (vars.Status, vars.ContentType));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(vars.Body).RootElement.ValueKind);
    }

    [Fact]
    public async Task Status_page_shows_every_tablet_and_the_recent_recoveries()
    {
        var (status, type, body) = await GetAsync("/debug/status");

        Assert.Equal((HttpStatusCode.OK, "text/html; charset=utf-8"), (status, type));
        foreach (var member in fixture.Live.Cluster.Members)
        {
            Assert.Contains(member.AliasText, body);
        }
        Assert.Contains("Recent Recoveries", body);
        Assert.Contains(AnalysisCodes.ClusterHasNoPrimary, body);
        Assert.Contains("action=\"/api/disable-global-recoveries\"", body);
    }

    [Fact]
    public async Task Read_only_policy_allows_reads_and_denies_admin_actions()
    {
        var read = await GetAsync(fixture.ReadOnlyServer, "/api/detection-analysis?keyspace=nosuch");
        Assert.Equal(HttpStatusCode.OK, read.Status);

        var disable = await GetAsync(fixture.ReadOnlyServer, "/api/disable-global-recoveries");
        Assert.Equal((HttpStatusCode.Forbidden, "Access denied: not allowed: read-only security-policy enforced\n"), (disable.Status, disable.Body));
        var ack = await GetAsync(fixture.ReadOnlyServer, "/api/ack-recovery?recoveryId=1&comment=x");
        Assert.Equal(HttpStatusCode.Forbidden, ack.Status);

        var status = await GetAsync(fixture.ReadOnlyServer, "/debug/status");
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.DoesNotContain("<form", status.Body);
    }

    [Theory]
    [InlineData("/api/detection-analysis")]
    [InlineData("/api/problems")]
    [InlineData("/api/recoveries")]
    [InlineData("/api/recovery-attempts")]
    [InlineData("/api/shard-tablet-health-quorum")]
    [InlineData("/api/config")]
    [InlineData("/api/enable-global-recoveries")]
    [InlineData("/debug/health")]
    [InlineData("/debug/status")]
    [InlineData("/")]
    [InlineData("/api/ui/events")]
    public async Task Deny_all_policy_denies_the_api_and_debug_pages(string path)
    {
        var (status, type, body) = await GetAsync(fixture.DenyAllServer, path);

        Assert.Equal((HttpStatusCode.Forbidden, PlainText, "Access denied: not allowed: deny-all security-policy enforced\n"), (status, type, body));
    }

    /// <summary>The page's JSON endpoints answer their errors as JSON (the page shows <c>Error</c>), a refusal too.</summary>
    [Theory]
    [InlineData("/api/ui/overview")]
    [InlineData("/api/ui/shard?keyspace=ks&shard=0")]
    public async Task Deny_all_policy_denies_the_pages_json_endpoints_with_a_json_error(string path)
    {
        var (status, type, body) = await GetAsync(fixture.DenyAllServer, path);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.StartsWith("application/json", type);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("Access denied: not allowed: deny-all security-policy enforced", json.RootElement.GetProperty("Error").GetString());
    }

    [Theory]
    [InlineData("/debug/liveness")]
    [InlineData("/metrics")]
    [InlineData("/debug/vars")]
    public async Task Deny_all_policy_keeps_the_pages_Vitess_serves_without_acl(string path)
    {
        var (status, _, _) = await GetAsync(fixture.DenyAllServer, path);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Disabled_recoveries_leave_a_stopped_replica_alone_until_enabled_again()
    {
        var replica = fixture.Live.Cluster.Members.First(m => m != fixture.Primary);
        try
        {
            var disable = await GetAsync("/api/disable-global-recoveries");
            Assert.Equal((HttpStatusCode.OK, PlainText, "Global recoveries disabled\n"), (disable.Status, disable.ContentType, disable.Body));
            Assert.Equal(1, DisableRows(await GetAsync("/api/database-state")));

            await replica.CallAsync<StopReplicationRequest, StopReplicationResponse>("StopReplication", new StopReplicationRequest());
            await Poll.UntilAsync(() => Task.FromResult(fixture.HasProblem(replica.AliasText, AnalysisCodes.ReplicationStopped)), ProblemDeadline,
                $"the daemon sees {replica.AliasText}'s replication stopped");
            var analysis = await GetAsync("/api/detection-analysis?keyspace=ks&shard=0");
            var row = JsonDocument.Parse(analysis.Body).RootElement.EnumerateArray()
                .Single(r => r.GetProperty("AnalyzedInstanceAlias").GetString() == replica.AliasText);
            Assert.Equal(AnalysisCodes.ReplicationStopped, row.GetProperty("Analysis").GetString());
            var problems = await GetAsync("/api/problems?keyspace=ks&shard=0");
            Assert.Contains(replica.AliasText, problems.Body);

            var ticks = fixture.Daemon.RecoveryTicks;
            await Poll.UntilAsync(() => Task.FromResult(fixture.Daemon.RecoveryTicks >= ticks + 3), ProblemDeadline, "three more recovery ticks ran");
            Assert.True(fixture.HasProblem(replica.AliasText, AnalysisCodes.ReplicationStopped), "the stopped replica was repaired while recoveries were disabled");
            Assert.False(await replica.ReplicatesFromAsync(fixture.Primary));

            var enable = await GetAsync("/api/enable-global-recoveries");
            Assert.Equal((HttpStatusCode.OK, "Global recoveries enabled\n"), (enable.Status, enable.Body));
            Assert.Equal(0, DisableRows(await GetAsync("/api/database-state")));
            await Poll.UntilAsync(async () => !fixture.HasProblem(replica.AliasText, AnalysisCodes.ReplicationStopped)
                && await replica.ReplicatesFromAsync(fixture.Primary), ProblemDeadline, $"the daemon restarted {replica.AliasText}'s replication");
            var recoveries = JsonDocument.Parse((await GetAsync("/api/recoveries")).Body).RootElement.EnumerateArray();
            Assert.Contains(recoveries, r => r.GetProperty("Alias").GetString() == replica.AliasText
                && r.GetProperty("Analysis").GetString() == AnalysisCodes.ReplicationStopped);
        }
        finally
        {
            // Leave the shard healthy for the other tests, whatever happened above.
            await fixture.Daemon.EnableGlobalRecoveriesAsync("test clean-up", AgentCluster.Deadline());
        }
    }

    private static int DisableRows((HttpStatusCode Status, string? ContentType, string Body) state) =>
        JsonDocument.Parse(state.Body).RootElement.EnumerateArray()
            .Single(t => t.GetProperty("TableName").GetString() == "global_recovery_disable").GetProperty("Rows").GetArrayLength();
}
