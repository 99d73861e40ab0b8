using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Vtorc.Orchestrator.Store;
using static Vtorc.Orchestrator.Tests.Http.UiActionsHarness;

namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// The page's session and POST actions (ours) against a real daemon over an in-memory topology with scripted tablets:
/// the anti-forgery token, JSON bodies and errors naming the field, the read-only policy, the per-shard switch honoured
/// by the running recovery loop, and a reparent refused while the shard lock is held.
/// </summary>
public sealed class UiActionEndpointsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_session_gives_a_token_and_says_whether_actions_are_refused()
    {
        await using var h = await StartAsync();
        using var readOnly = HttpApiFixture.ClientOf(h.ReadOnlyServer);

        var session = await JsonAsync(await h.Client.GetAsync("/api/ui/session"), HttpStatusCode.OK);
        var readOnlySession = await JsonAsync(await readOnly.GetAsync("/api/ui/session"), HttpStatusCode.OK);

        var token = session.GetProperty("CsrfToken").GetString()!;
        Assert.True(token.Length >= 43, token);
        Assert.DoesNotContain(token, c => c is '+' or '/' or '=');
        Assert.False(session.GetProperty("ReadOnly").GetBoolean());
        Assert.True(readOnlySession.GetProperty("ReadOnly").GetBoolean());
        Assert.NotEqual(token, readOnlySession.GetProperty("CsrfToken").GetString());
    }

    [Fact]
    public async Task Actions_without_the_token_as_GET_or_not_as_JSON_are_refused_naming_what_was_wrong()
    {
        await using var h = await StartAsync();
        var body = new StringContent("""{"Scope":"global"}""", Encoding.UTF8, "application/json");

        var get = await h.Client.GetAsync("/api/ui/actions/disable-recoveries");
        Assert.Contains("use POST", await ErrorAsync(get, HttpStatusCode.MethodNotAllowed));
        Assert.Equal("POST", get.Content.Headers.Allow.Single());

        var missing = await h.Client.PostAsync("/api/ui/actions/disable-recoveries", body);
        Assert.Contains("Missing X-Vtorc-Csrf-Token header", await ErrorAsync(missing, HttpStatusCode.Forbidden));

        var wrong = await SendAsync(h.Client, "disable-recoveries", """{"Scope":"global"}""", "application/json", "not-the-token");
        Assert.Contains("Wrong X-Vtorc-Csrf-Token header", await ErrorAsync(wrong, HttpStatusCode.Forbidden));

        var form = await SendAsync(h.Client, "disable-recoveries", "Scope=global", "application/x-www-form-urlencoded", await TokenAsync(h.Client));
        Assert.Contains("application/json", await ErrorAsync(form, HttpStatusCode.UnsupportedMediaType));

        Assert.Empty(await h.Daemon.Queries.ReadRecoveryDisablesAsync(Token()));
    }

    [Fact]
    public async Task Bad_bodies_are_refused_naming_the_field()
    {
        await using var h = await StartAsync();

        Assert.Contains("Invalid value for Scope", await ErrorAsync(await h.PostAsync("disable-recoveries", new { Scope = "cell" }), HttpStatusCode.BadRequest));
        Assert.Contains("Missing value for Shard",
            await ErrorAsync(await h.PostAsync("disable-recoveries", new { Scope = "shard", Keyspace = "ks" }), HttpStatusCode.BadRequest));
        Assert.Contains("Invalid value for Shard: the daemon watches no shard ks/40-",
            await ErrorAsync(await h.PostAsync("disable-recoveries", new { Scope = "shard", Keyspace = "ks", Shard = "40-" }), HttpStatusCode.BadRequest));
        Assert.Contains("Unknown field Keyspce",
            await ErrorAsync(await h.PostAsync("disable-recoveries", new { Scope = "keyspace", Keyspce = "ks" }), HttpStatusCode.BadRequest));
        Assert.Contains("Invalid value for RecoveryId: expected a non-negative integer",
            await ErrorAsync(await h.PostAsync("acknowledge", new { RecoveryId = "12", Comment = "x" }), HttpStatusCode.BadRequest));
        Assert.Contains("Missing value for Comment",
            await ErrorAsync(await h.PostAsync("acknowledge", new { RecoveryId = 12 }), HttpStatusCode.BadRequest));
        Assert.Contains($"Invalid value for NewPrimary: \"{Alias(201)}\" is not a tablet of ks/-80",
            await ErrorAsync(await h.PostAsync("planned-reparent", new { Keyspace = "ks", Shard = ShardA, NewPrimary = Alias(201) }), HttpStatusCode.BadRequest));
        Assert.Contains("Missing value for NewPrimary",
            await ErrorAsync(await h.PostAsync("planned-reparent", new { Keyspace = "ks", Shard = ShardA }), HttpStatusCode.BadRequest));
        Assert.Contains("Invalid value for Operator: 65 characters, at most 64",
            await ErrorAsync(await h.PostAsync("disable-recoveries", new { Scope = "global", Operator = new string('a', 65) }), HttpStatusCode.BadRequest));
        Assert.Contains("Invalid value for Operator: '\\u000a' is not allowed",
            await ErrorAsync(await h.PostAsync("acknowledge", new { RecoveryId = 12, Comment = "x", Operator = "alice\nforged" }), HttpStatusCode.BadRequest));
        var notJson = await SendAsync(h.Client, "acknowledge", "{", "application/json", await TokenAsync(h.Client));
        Assert.Contains("Invalid body: not JSON", await ErrorAsync(notJson, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task The_read_only_policy_refuses_every_action_as_JSON()
    {
        await using var h = await StartAsync();
        using var readOnly = HttpApiFixture.ClientOf(h.ReadOnlyServer);

        foreach (var action in new[] { "acknowledge", "disable-recoveries", "enable-recoveries", "planned-reparent", "emergency-reparent" })
        {
            var response = await h.PostAsync(action, new { Scope = "global" }, readOnly);
            Assert.Contains("read-only security-policy", await ErrorAsync(response, HttpStatusCode.Forbidden));
        }
        Assert.Empty(await h.Daemon.Queries.ReadRecoveryDisablesAsync(Token()));
        Assert.Empty(h.Tablets.CallsTo("DemotePrimary"));
        Assert.Empty(h.Tablets.CallsTo("StopReplicationAndGetStatus"));
    }

    [Fact]
    public async Task A_shard_disabled_from_the_page_is_not_repaired_while_another_shard_is_until_enabled_again()
    {
        await using var h = await StartAsync();

        var disabled = await JsonAsync(await h.PostAsync("disable-recoveries", new { Scope = "shard", Keyspace = "ks", Shard = ShardA, Reason = "disk swap" }),
            HttpStatusCode.OK);
        Assert.Equal("Recoveries disabled for shard ks/-80: problems there are detected and shown, not repaired",
            disabled.GetProperty("Message").GetString());
        var listed = (await JsonAsync(await h.Client.GetAsync("/api/disabled-recoveries"), HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal("shard", listed.GetProperty("Scope").GetString());
        Assert.Equal("ks", listed.GetProperty("Keyspace").GetString());
        Assert.Equal(ShardA, listed.GetProperty("Shard").GetString());
        Assert.Equal("page from 127.0.0.1", listed.GetProperty("DisabledBy").GetString());
        Assert.Equal("disk swap", listed.GetProperty("Reason").GetString());
        Assert.True(listed.GetProperty("DisabledAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        h.Replicate(ShardA, 101, running: false);
        h.Replicate(ShardB, 201, running: false);

        await Poll.UntilAsync(() => Task.FromResult(h.Tablets.CallsTo("SetReplicationSource", Alias(201)).Count > 0), Deadline,
            "shard 80-'s stopped replica is repaired");
        await Poll.UntilAsync(async () => (await AuditAsync(h)).Any(m => m.Contains("(ShardRecoveriesDisabled)") && m.Contains("for shard ks/-80")),
            Deadline, "the repair of shard -80 is skipped with the shard's switch named");
        Assert.Empty(h.Tablets.CallsTo("SetReplicationSource", Alias(101)));
        Assert.Contains(await AuditAsync(h), m => m.Contains("Recoveries disabled for shard ks/-80 (requested by page from 127.0.0.1: disk swap)"));

        var enabled = await JsonAsync(await h.PostAsync("enable-recoveries", new { Scope = "shard", Keyspace = "ks", Shard = ShardA }), HttpStatusCode.OK);
        Assert.Equal("Recoveries enabled for shard ks/-80", enabled.GetProperty("Message").GetString());
        Assert.Empty((await JsonAsync(await h.Client.GetAsync("/api/disabled-recoveries"), HttpStatusCode.OK)).EnumerateArray());
        await Poll.UntilAsync(() => Task.FromResult(h.Tablets.CallsTo("SetReplicationSource", Alias(101)).Count > 0), Deadline,
            "shard -80's stopped replica is repaired once enabled");
    }

    [Fact]
    public async Task A_keyspace_disable_leaves_its_shard_disables_and_the_enable_says_what_still_applies()
    {
        await using var h = await StartAsync();
        await JsonAsync(await h.PostAsync("disable-recoveries", new { Scope = "shard", Keyspace = "ks", Shard = ShardB }), HttpStatusCode.OK);
        await JsonAsync(await h.PostAsync("disable-recoveries", new { Scope = "keyspace", Keyspace = "ks", Reason = "migration" }), HttpStatusCode.OK);
        await JsonAsync(await h.PostAsync("disable-recoveries", new { Scope = "global" }), HttpStatusCode.OK);

        var listed = (await JsonAsync(await h.Client.GetAsync("/api/disabled-recoveries"), HttpStatusCode.OK)).EnumerateArray()
            .Select(e => $"{e.GetProperty("Scope").GetString()} {e.GetProperty("Keyspace").GetString()} {e.GetProperty("Shard").GetString()}").ToList();
        Assert.Equal(["global  ", "keyspace ks ", "shard ks 80-"], listed);

        var enabled = await JsonAsync(await h.PostAsync("enable-recoveries", new { Scope = "keyspace", Keyspace = "ks" }), HttpStatusCode.OK);
        Assert.Equal("Recoveries enabled for keyspace ks; still recoveries disabled globally by page from 127.0.0.1", enabled.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task The_Vitess_global_switch_answers_as_before_and_shows_in_the_list()
    {
        await using var h = await StartAsync();

        var response = await h.Client.GetAsync("/api/disable-global-recoveries");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Global recoveries disabled\n", await response.Content.ReadAsStringAsync());

        var listed = (await JsonAsync(await h.Client.GetAsync("/api/disabled-recoveries"), HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal("global", listed.GetProperty("Scope").GetString());
        Assert.Equal("HTTP GET from 127.0.0.1", listed.GetProperty("DisabledBy").GetString());

        Assert.Equal("Global recoveries enabled\n", await h.Client.GetStringAsync("/api/enable-global-recoveries"));
        Assert.Empty((await JsonAsync(await h.Client.GetAsync("/api/disabled-recoveries"), HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task A_planned_reparent_is_refused_with_409_while_the_shard_lock_is_held()
    {
        await using var h = await StartAsync();
        await using (await h.Topo.Locks.LockShardAsync("ks", ShardA, "maintenance by another tool", Token()))
        {
            var response = await h.PostAsync("planned-reparent", new { Keyspace = "ks", Shard = ShardA, NewPrimary = Alias(101), Operator = "alice" });
            var error = await ErrorAsync(response, HttpStatusCode.Conflict);
            Assert.Contains("planned reparent of ks/-80 not started", error);
            Assert.Contains("maintenance by another tool", error);

            var ers = await h.PostAsync("emergency-reparent", new { Keyspace = "ks", Shard = ShardA, NewPrimary = (string?)null });
            Assert.Contains("emergency reparent of ks/-80 not started", await ErrorAsync(ers, HttpStatusCode.Conflict));
        }
        Assert.Empty(h.Tablets.CallsTo("DemotePrimary"));
        Assert.Empty(h.Tablets.CallsTo("PromoteReplica"));
        Assert.Empty(h.Tablets.CallsTo("StopReplicationAndGetStatus"));
        Assert.Contains(await AuditAsync(h), m => m.Contains("requested by alice, page from 127.0.0.1") && m.Contains("not started"));
    }

    [Fact]
    public async Task A_switch_disabled_with_a_name_records_it_with_the_address_and_shows_on_the_status_page()
    {
        await using var h = await StartAsync();

        await JsonAsync(await h.PostAsync("disable-recoveries", new { Scope = "keyspace", Keyspace = "ks", Reason = "schema <migration>", Operator = "alice" }),
            HttpStatusCode.OK);
        h.Replicate(ShardA, 101, running: false);

        var listed = (await JsonAsync(await h.Client.GetAsync("/api/disabled-recoveries"), HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal("alice, page from 127.0.0.1", listed.GetProperty("DisabledBy").GetString());
        Assert.Contains(await AuditAsync(h), m => m.Contains("Recoveries disabled for keyspace ks (requested by alice, page from 127.0.0.1: schema <migration>)"));
        // The status page lists the keyspace switch (Vitess's shows only the global one) and says it under the
        // stopped replica's problem.
        await Poll.UntilAsync(async () => (await h.Client.GetStringAsync("/debug/status")).Contains(Vtorc.Orchestrator.Analysis.AnalysisCodes.ReplicationStopped), Deadline,
            "the status page shows the stopped replica's problem");
        var status = await h.Client.GetStringAsync("/debug/status");
        Assert.Contains("<td class=\"bad\">for keyspace ks</td><td>alice, page from 127.0.0.1</td><td>schema &lt;migration&gt;</td>", status);
        var shardA = status[status.IndexOf("<h2>ks/-80</h2>", StringComparison.Ordinal)..];
        Assert.Contains("Not repaired: recoveries disabled for keyspace ks by alice, page from 127.0.0.1 (schema &lt;migration&gt;) since ", shardA);
    }

    [Fact]
    public async Task Acknowledging_records_the_name_and_the_address()
    {
        await using var h = await StartAsync();
        h.Replicate(ShardB, 201, running: false);
        await Poll.UntilAsync(async () => (await h.Daemon.Queries.ReadRecentRecoveriesAsync(0, Token())).Any(r => r.EndRecovery is not null), Deadline,
            "the stopped replica's repair finished");

        var answer = await JsonAsync(await h.PostAsync("acknowledge", new { Keyspace = "ks", Shard = ShardB, Comment = "seen", Operator = "bob" }),
            HttpStatusCode.OK);

        Assert.StartsWith("Acknowledged", answer.GetProperty("Message").GetString());
        var acknowledged = (await h.Daemon.Queries.ReadRecentRecoveriesAsync(0, Token())).First(r => r.Acknowledgement is not null);
        Assert.Equal("bob, page from 127.0.0.1", acknowledged.Acknowledgement!.AcknowledgedBy);
    }

    [Fact]
    public async Task Acknowledging_an_unknown_recovery_says_nothing_was_acknowledged()
    {
        await using var h = await StartAsync();

        var answer = await JsonAsync(await h.PostAsync("acknowledge", new { RecoveryId = 999999, Comment = "seen" }), HttpStatusCode.OK);
        Assert.Equal("Nothing acknowledged: recovery 999999 unknown, not finished or already acknowledged", answer.GetProperty("Message").GetString());

        var shard = await JsonAsync(await h.PostAsync("acknowledge", new { Keyspace = "ks", Shard = ShardA, Comment = "seen" }), HttpStatusCode.OK);
        Assert.StartsWith("Nothing acknowledged: the finished recoveries of ks/-80", shard.GetProperty("Message").GetString());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string action, string body, string contentType, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ui/actions/" + action)
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.Add(CsrfHeader, token);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status) =>
        (await JsonAsync(response, status)).GetProperty("Error").GetString()!;

    private static async Task<IReadOnlyList<string>> AuditAsync(UiActionsHarness h) =>
        [.. (await h.Daemon.Store.DatabaseStateAsync(Token())).Single(t => t.TableName == "audit").Rows
            .Select(r => $"{r["audit_type"]}: {r["message"]}")];
}
