using System.CommandLine;
using System.Text.Json;
using Topodata;
using Vtorc.Cli.Analyze;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Snapshot;
using Vtorc.Reparent.Durability;

namespace Vtorc.Cli.Tests;

public sealed class AnalyzeCommandTests : IDisposable
{
    private static readonly DateTimeOffset Captured = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("vtorc-analyze-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Tablet TabletOf(uint uid, TabletType type) => new()
    {
        Alias = new TabletAlias { Cell = "zone1", Uid = uid },
        Hostname = $"tablet-{uid}",
        Keyspace = "commerce",
        Shard = "0",
        Type = type,
        MysqlHostname = $"mysql-{uid}",
        MysqlPort = 3306,
    };

    private static InstanceObservation ObservationOf(uint uid, TabletType type, bool replicating) => new()
    {
        Alias = $"zone1-{uid:D10}",
        Hostname = $"mysql-{uid}",
        Port = 3306,
        Cell = "zone1",
        ServerId = uid,
        CurrentTabletType = type,
        ReadOnly = type != TabletType.Primary,
        ServerUuid = $"00000000-0000-0000-0000-{uid:D12}",
        Version = "8.0.40",
        MajorVersion = "8.0",
        LogBinEnabled = true,
        LogReplicaUpdates = true,
        BinlogFormat = "ROW",
        GtidMode = "ON",
        SourceHost = type == TabletType.Primary ? "" : "mysql-100",
        SourcePort = type == TabletType.Primary ? 0 : 3306,
        SourceUuid = type == TabletType.Primary ? "" : "00000000-0000-0000-0000-000000000100",
        ReplicationLagSeconds = type == TabletType.Primary ? null : 0,
        ReplicationIoThreadState = type == TabletType.Primary ? ReplicationThreadState.NoThread
            : replicating ? ReplicationThreadState.Running : ReplicationThreadState.Stopped,
        ReplicationSqlThreadState = type == TabletType.Primary ? ReplicationThreadState.NoThread
            : replicating ? ReplicationThreadState.Running : ReplicationThreadState.Stopped,
        UsingAutoPosition = type != TabletType.Primary,
        ReplicaNetTimeout = 60,
        HeartbeatInterval = 30,
        LastChecked = Captured,
        LastSeen = Captured,
        LastAttemptedCheck = Captured,
    };

    /// <summary>A primary and two replicas; with <paramref name="deadPrimary"/> the primary's last poll failed and the replicas lost it.</summary>
    private string WriteSnapshot(bool deadPrimary) => WriteSnapshot(deadPrimary, incapacitated: false);

    /// <summary>
    /// With <paramref name="incapacitated"/>: the primary's last poll failed but the replicas still replicate, and its
    /// health window holds three failures of the 30 s before capture.
    /// </summary>
    private string WriteSnapshot(bool deadPrimary, bool incapacitated)
    {
        var primary = TabletOf(100, TabletType.Primary);
        primary.PrimaryTermStartTime = new Vttime.Time { Seconds = Captured.AddHours(-1).ToUnixTimeSeconds() };
        var observations = new Dictionary<string, InstanceObservation>(StringComparer.Ordinal)
        {
            ["zone1-0000000100"] = ObservationOf(100, TabletType.Primary, false) is var p && deadPrimary
                ? p.WithFailedCheck(Captured.AddSeconds(5), partialSuccess: false, diskStalled: false)
                : p,
            ["zone1-0000000101"] = ObservationOf(101, TabletType.Replica, replicating: !deadPrimary),
            ["zone1-0000000102"] = ObservationOf(102, TabletType.Replica, replicating: !deadPrimary),
        };
        if (incapacitated)
        {
            var length = AnalysisSettings.Default.PrimaryHealthWindow;
            var health = PrimaryHealthWindow.Empty;
            foreach (int seconds in new[] { -25, -15, -5 })
            {
                health = health.Record(Captured.AddSeconds(seconds), false, length);
            }
            observations["zone1-0000000100"] = observations["zone1-0000000100"]
                .WithFailedCheck(Captured.AddSeconds(5), partialSuccess: false, diskStalled: false) with { PrimaryHealth = health };
        }
        var snapshot = ShardSnapshot.Create(
            new KeyspaceRecord("commerce", KeyspaceType.Normal, DurabilityPolicyNames.None, false),
            new ShardRecord("commerce", "0", "zone1-0000000100", Captured.AddHours(-1), false),
            [new TabletRecord(primary), new TabletRecord(TabletOf(101, TabletType.Replica)), new TabletRecord(TabletOf(102, TabletType.Replica))],
            observations,
            DurabilityPolicyRegistry.CreateDefault());
        var path = Path.Combine(_directory, incapacitated ? "incapacitated.json" : deadPrimary ? "dead.json" : "healthy.json");
        File.WriteAllText(path, ShardSnapshotDocument.Export([snapshot], AnalysisSettings.Default, Captured.AddSeconds(6)));
        return path;
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand("test root");
        root.Add(AnalyzeCommand.Build(output, error));
        var parseResult = root.Parse(["analyze", .. args]);
        int exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task An_exported_dead_primary_shard_prints_DeadPrimary()
    {
        var (exitCode, output, error) = await RunAsync("--snapshot", WriteSnapshot(deadPrimary: true));
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        using var document = JsonDocument.Parse(output);
        var row = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal("zone1-0000000100", row.GetProperty("AnalyzedInstanceAlias").GetString());
        Assert.Equal(AnalysisCodes.DeadPrimary, row.GetProperty("Analysis").GetString());
        Assert.StartsWith("[\n {\n  \"AnalyzedInstanceAlias\"", output);
    }

    [Fact]
    public async Task An_exported_primary_health_window_replays_as_IncapacitatedPrimary_until_it_ages_out()
    {
        var path = WriteSnapshot(deadPrimary: false, incapacitated: true);
        Assert.Contains("\"primary_health\"", File.ReadAllText(path));

        var (exitCode, output, error) = await RunAsync("--snapshot", path);
        Assert.True(exitCode == 0, error);
        using (var document = JsonDocument.Parse(output))
        {
            Assert.Equal(AnalysisCodes.IncapacitatedPrimary, Assert.Single(document.RootElement.EnumerateArray().ToList()).GetProperty("Analysis").GetString());
        }

        // 80 s after the last failure the 75 s window is empty: the same primary is merely unreachable.
        (exitCode, output, error) = await RunAsync("--snapshot", path, "--now", "2026-11-22T06:01:15Z");
        Assert.True(exitCode == 0, error);
        using (var document = JsonDocument.Parse(output))
        {
            Assert.Equal(AnalysisCodes.UnreachablePrimary, Assert.Single(document.RootElement.EnumerateArray().ToList()).GetProperty("Analysis").GetString());
        }
    }

    [Fact]
    public async Task A_healthy_snapshot_prints_null()
    {
        var (exitCode, output, _) = await RunAsync("--snapshot", WriteSnapshot(deadPrimary: false), "--now", "2026-11-22T07:00:00Z");
        Assert.Equal(0, exitCode);
        Assert.Equal("null", output.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_snapshot_without_durability_policy_names_the_skipped_shard()
    {
        var path = WriteSnapshot(deadPrimary: true);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"durability_policy\": \"none\"", "\"durability_policy\": \"\"", StringComparison.Ordinal));
        var (exitCode, output, error) = await RunAsync("--snapshot", path);
        Assert.Equal(0, exitCode);
        Assert.Equal("null", output.TrimEnd('\n'));
        Assert.Contains("shard commerce/0 skipped: ignoring keyspace commerce because no durability_policy is set", error);
    }

    [Fact]
    public async Task The_documented_example_replays()
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(SourceFile())!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Vtorc.slnx")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var doc = File.ReadAllText(Path.Combine(directory.FullName, "docs", "snapshot-format.md"));
        int start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var path = Path.Combine(_directory, "example.json");
        File.WriteAllText(path, doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)]);

        var (exitCode, output, error) = await RunAsync("--snapshot", path);
        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(AnalysisCodes.DeadPrimaryWithoutReplicas, document.RootElement[0].GetProperty("Analysis").GetString());
    }

    [Fact]
    public async Task A_missing_file_is_one_line_naming_it()
    {
        var path = Path.Combine(_directory, "nope.json");
        var (exitCode, output, error) = await RunAsync("--snapshot", path);
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith($"vtorc analyze: cannot read snapshot file \"{path}\"", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_file_that_is_not_a_snapshot_is_one_line_naming_the_field()
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, "{\"format_version\": 1, \"captured_at\": \"noon\"}");
        var (exitCode, _, error) = await RunAsync("--snapshot", path);
        Assert.Equal(1, exitCode);
        Assert.StartsWith($"vtorc analyze: snapshot file \"{path}\" is not valid: captured_at: expected an RFC 3339 time", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_file_that_is_not_JSON_is_one_line()
    {
        var path = Path.Combine(_directory, "text.json");
        File.WriteAllText(path, "this is\nnot json");
        var (exitCode, _, error) = await RunAsync("--snapshot", path);
        Assert.Equal(1, exitCode);
        Assert.Contains("is not valid: not valid JSON", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_bad_now_is_named()
    {
        var (exitCode, output, error) = await RunAsync("--snapshot", WriteSnapshot(deadPrimary: true), "--now", "tomorrow");
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal("vtorc analyze: --now \"tomorrow\" is not an RFC 3339 time (e.g. 2026-01-02T15:04:05Z)\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_snapshot_option_is_required()
    {
        var (exitCode, _, error) = await RunAsync();
        Assert.Equal(1, exitCode);
        Assert.Contains("--snapshot", error);
    }
}
