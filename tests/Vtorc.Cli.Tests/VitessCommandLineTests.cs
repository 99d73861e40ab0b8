using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vtorc.Cli.Daemon;
using Vtorc.Cli.Flags;
using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>
/// Vitess's own command line runs unchanged: every flag of Vitess's vtorc (v22–v24, main) is listed by --help and
/// accepted in both spellings, and the daemon started exactly as Vitess's example examples/common/scripts/vtorc-up.sh
/// starts it (with its examples/common/vtorc/config.yaml) serves /debug/health against a real etcd.
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class VitessCommandLineTests(EtcdFixture etcd)
{
    private static IReadOnlyList<string> VitessFlags() =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "TestData", "vitess-vtorc-flags.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Fact]
    public async Task Help_lists_every_flag_of_Vitess_vtorc()
    {
        var result = await CtlRunner.RunRawAsync("--help");
        Assert.Equal(0, result.ExitCode);
        var missing = VitessFlags().Where(f => !Regex.IsMatch(result.Output, $@"(^|[\s,]){Regex.Escape(f)}([\s,<]|$)", RegexOptions.Multiline)).ToList();
        Assert.True(missing.Count == 0, "not in --help: " + string.Join(", ", missing));
        Assert.Matches(@"-v, --version", result.Output);
    }

    [Fact]
    public void Every_Vitess_flag_is_accepted_in_the_dash_and_the_underscore_spelling()
    {
        var commandLine = new DaemonCommandLine();
        var byName = commandLine.All.SelectMany(o => o.Aliases.Append(o.Name).Select(n => (n, o))).ToDictionary(p => p.n, p => p.o);
        var args = new List<string>();
        var underscored = new List<string>();
        foreach (var flag in VitessFlags().Where(f => f is not ("--help" or "--version")))
        {
            Assert.True(byName.TryGetValue(flag, out var option), $"{flag} is not a flag of the daemon");
            string[] given = option is Option<bool?> ? [flag] : [flag, SampleValue(flag, option)];
            args.AddRange(given);
            underscored.AddRange(FlagSpelling.KeptVerbatim.Contains(flag) ? given : [given[0].Replace('-', '_').Replace("__", "--"), .. given[1..]]);
        }
        foreach (var line in new[] { args, underscored })
        {
            var parsed = commandLine.CreateParser().Parse(FlagSpelling.Normalize(line));
            Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        }
    }

    [Theory]
    [InlineData("v22")]
    [InlineData("main")]
    public async Task Daemon_started_like_Vitess_example_vtorc_up_serves_health(string version)
    {
        var directory = Directory.CreateTempSubdirectory("vtorc-up-").FullName;
        try
        {
            // The example keeps config.yaml in examples/common/vtorc/ and names it with --config-name/--config-type.
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "vtorc-up-config.yaml"), Path.Combine(directory, "config.yaml"));
            var root = "/vtorc-up-" + Guid.NewGuid().ToString("N")[..12] + "/global";
            int port = LoopbackPorts.PickFree(1)[0];
            string[] topology = version == "v22"
                ? ["--topo_implementation", "etcd2", "--topo_global_server_address", etcd.Endpoint, "--topo_global_root", root]
                : ["--topo-implementation", "etcd2", "--topo-global-server-address", etcd.Endpoint, "--topo-global-root", root];
            // examples/common/env.sh aliases vtorc to "vtorc --config-file-not-found-handling=ignore".
            List<string> args = ["--config-file-not-found-handling=ignore", .. topology, "--logtostderr", "--alsologtostderr",
                $"--config-path={directory}", "--config-name=config.yaml", "--config-type=yml", "--port", port.ToString(CultureInfo.InvariantCulture)];
            if (version == "main")
            {
                args.AddRange(["--cell", "test", "--log-format", "text", "--emergency-reparent-on-primary-tablet-unreachable",
                    "--shard-tablet-health-quorum-fraction=1.0", "--shard-tablet-health-quorum-min-observers=1"]);
            }

            await using var daemon = await InProcessDaemon.StartHealthyAsync(args, port);
            using var config = JsonDocument.Parse(await daemon.Http.GetStringAsync("api/config?sources=true"));
            var pollTime = config.RootElement.GetProperty("instance-poll-time");
            Assert.Equal(1_000_000_000, pollTime.GetProperty("value").GetInt64());
            Assert.Equal("config file", pollTime.GetProperty("source").GetString());
            Assert.Equal("flag", config.RootElement.GetProperty("port").GetProperty("source").GetString());
            Assert.Equal("default", config.RootElement.GetProperty("discovery-workers").GetProperty("source").GetString());
            Assert.Equal(0, await daemon.StopAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string SampleValue(string flag, Option option) => flag switch
    {
        "--topo-implementation" => "etcd2",
        "--tablet-manager-protocol" => "grpc",
        "--log-level" => "info",
        "--log-format" => "text",
        "--stderrthreshold" => "WARNING",
        "--config-file-not-found-handling" => "ignore",
        "--security-policy" => "read-only",
        "--clusters-to-watch" => "commerce,customer/-80",
        "--grpc-max-message-size" => "33554432",
        _ => option switch
        {
            Option<TimeSpan?> => "2s",
            Option<int?> or Option<long?> or Option<int> => "7",
            Option<double?> => "0.5",
            _ => "value",
        },
    };
}
