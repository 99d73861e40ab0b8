using System.Net;
using System.Net.Http;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Metrics;
using Vtorc.Orchestrator.Recovery;
using Vtorc.Orchestrator.Tests.Live;
using Vtorc.Orchestrator.Tests.Recovery;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// A real daemon and HTTP server over an in-memory topology whose tablets are scripted (fake tablet manager): a replica with
/// a hostile hostname and gtid_mode has stopped replicating, and its repair fails with an error carrying the same
/// text. Every JSON endpoint that shows the text must write it as Go's encoding/json does.
/// </summary>
public sealed class JsonEscapingEndToEndTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_json_endpoint_writes_hostile_text_as_Go_does()
    {
        var directory = Directory.CreateTempSubdirectory("vtorc-json-");
        try
        {
            await RunAsync(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task RunAsync(string directory)
    {
        await using var topo = TopoServer.OpenInMemory("zone1");
        await topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "none" }, Token());
        await topo.CreateShardAsync("ks", "0", Token());
        var primary = NewTablet(100, TabletType.Primary);
        var replica = NewTablet(101, TabletType.Replica);
        await topo.CreateTabletAsync(primary, Token());
        await topo.CreateTabletAsync(replica, Token());
        await topo.Shards.UpdateFieldsAsync(("ks", "0"), s =>
        {
            s.PrimaryAlias = primary.Alias;
            s.PrimaryTermStartTime = primary.PrimaryTermStartTime;
        }, Token());

        var tablets = new FakeTabletManager();
        var replicaAlias = replica.Alias.ToText();
        tablets.Returns(primary.Alias.ToText(), "FullStatus", new FullStatus { ServerId = 100, TabletType = TabletType.Primary, Version = "8.0.36" });
        tablets.Returns(replicaAlias, "FullStatus", new FullStatus
        {
            ServerId = 101,
            TabletType = TabletType.Replica,
            ReadOnly = true,
            Version = "8.0.36",
            GtidMode = "ON " + HostileText.Raw,
            ReplicationStatus = new Status { SourceHost = "db-100", SourcePort = 3306, IoState = 1, SqlState = 1 },
        });
        tablets.On(replicaAlias, "SetReadOnly", (_, _) => throw new InvalidOperationException("the tablet refused: " + HostileText.Raw));

        var defaults = LiveCluster.TestOptions();
        var options = defaults with
        {
            Store = new() { AuditToBackend = true, AuditFileLocation = Path.Combine(directory, "audit " + HostileText.Raw) },
            // Every poll repeats the failing repair, so the latest attempt always carries its error.
            Recovery = defaults.Recovery with { RecoveryPeriodBlockDuration = TimeSpan.Zero },
        };
        using var metrics = new VtorcMetrics();
        await using var daemon = await OrchestratorDaemon.StartAsync(topo, tablets, options, metrics, NullLoggerFactory.Instance,
            TimeProvider.System, Token());
        await using var server = await OrchestratorHttpServer.StartAsync(daemon.Queries, daemon.Actions, metrics,
            new HttpServerOptions { Port = 0, BindAddress = "127.0.0.1", SecurityPolicy = SecurityPolicy.AllowAllName },
            NullLoggerFactory.Instance, Token());
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        await Poll.UntilAsync(async () => (await GetAsync(client, "/api/recoveries")).Contains(HostileText.AsGo, StringComparison.Ordinal)
            && (await GetAsync(client, "/api/recovery-attempts")).Contains(HostileText.AsGo, StringComparison.Ordinal),
            Deadline, "the failed repair of the replica is listed with its error");

        string[] carrying =
        [
            "/api/recoveries", "/api/recovery-attempts", "/api/database-state", "/api/config", "/api/snapshot", "/api/problems",
            "/api/detection-analysis", "/api/replication-analysis",
        ];
        foreach (var path in carrying)
        {
            var body = await GetAsync(client, path);
            Assert.True(body.Contains(HostileText.AsGo, StringComparison.Ordinal), $"{path} does not write the text as Go does: {body}");
            AssertGoJson(path, body);
            using var document = JsonDocument.Parse(body);
            Assert.True(Strings(document.RootElement).Any(s => s.Contains(HostileText.Raw, StringComparison.Ordinal)),
                $"{path} does not read back as the original text");
        }
        foreach (var path in new[] { "/debug/vars", "/debug/health", "/api/errant-gtids" })
        {
            AssertGoJson(path, await GetAsync(client, path));
        }
    }

    private static void AssertGoJson(string path, string body)
    {
        using (JsonDocument.Parse(body))
        {
        }
        int raw = body.IndexOfAny(HostileText.NeverRaw);
        Assert.True(raw < 0, $"{path} writes U+{(raw < 0 ? 0 : body[raw]):X4} raw at {raw}");
        Assert.DoesNotContain("\\u00", body.Replace("\\u003c", "").Replace("\\u003e", "").Replace("\\u0026", "").Replace("\\u001b", ""),
            StringComparison.Ordinal);
        Assert.DoesNotContain("\\uD8", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\\u007", body, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        _ => [],
    };

    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static Tablet NewTablet(uint uid, TabletType type)
    {
        var tablet = TestTablets.Record("zone1", uid, type: type);
        tablet.Hostname = $"host-{uid} {HostileText.Raw}";
        tablet.PrimaryTermStartTime = type == TabletType.Primary ? new Vttime.Time { Seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60 } : null;
        return tablet;
    }

    private static CancellationToken Token() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
