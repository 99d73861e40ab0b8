using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.Cli.Config;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli.Tests;

/// <summary>
/// The config file as Vitess's viper setup reads it (go/viperutil/config.go): where it is searched, YAML and JSON,
/// the not-found handling, and the precedence flag &gt; file &gt; default.
/// </summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vtorc-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static ResolvedSettings Resolve(Func<string, string?> environment, params string[] args) =>
        DaemonConfiguration.Locate(FlagSpelling.Normalize(args), environment, NullLogger.Instance).Resolve();

    private static ResolvedSettings Resolve(params string[] args) => Resolve(NoEnvironment, args);

    [Fact]
    public void A_flag_on_the_command_line_wins_over_the_file_and_the_file_over_the_default()
    {
        var file = Write("vtorc.yaml", "instance-poll-time: 2s\nwait-replicas-timeout: 10s\nprevent-cross-cell-failover: true\n");
        var settings = Resolve("--config-file", file, "--instance-poll-time", "3s");
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Values.InstancePollTime);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Values.WaitReplicasTimeout);
        Assert.True(settings.Values.PreventCrossCellFailover);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Values.ReasonableReplicationLag);
        Assert.Equal(SettingSource.Flag, settings.Sources["instance-poll-time"]);
        Assert.Equal(SettingSource.ConfigFile, settings.Sources["wait-replicas-timeout"]);
        Assert.Equal(SettingSource.Default, settings.Sources["reasonable-replication-lag"]);
    }

    [Fact]
    public void Json_files_are_read_with_lists_and_durations_in_nanoseconds()
    {
        var file = Write("vtorc.json", """{"clusters-to-watch": ["commerce", "customer/-80"], "recovery-poll-duration": 2000000000, "discovery-workers": 12, "allow-emergency-reparent": false}""");
        var settings = Resolve("--config-file", file);
        Assert.Equal("commerce,customer/-80", settings.Values.ClustersToWatch);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Values.RecoveryPollDuration);
        Assert.Equal(12, settings.Values.DiscoveryWorkers);
        Assert.False(settings.Values.AllowEmergencyReparent);
    }

    [Fact]
    public void The_name_is_searched_in_each_path_with_viper_extensions_or_as_given_with_a_type()
    {
        var other = Directory.CreateDirectory(Path.Combine(_directory, "other")).FullName;
        Write("vtconfig.json", """{"instance-poll-time": "4s"}""");
        Assert.Equal(TimeSpan.FromSeconds(4), Resolve("--config-path", other, "--config-path", _directory).Values.InstancePollTime);

        // vtorc-up.sh passes --config-name=config.yaml --config-type=yml: the name itself is the file.
        Write("config.yaml", "instance-poll-time: 6s\n");
        Assert.Equal(TimeSpan.FromSeconds(6), Resolve($"--config-path={_directory}", "--config-name=config.yaml", "--config-type=yml").Values.InstancePollTime);
    }

    [Fact]
    public void The_environment_names_the_file_when_no_flag_does()
    {
        var file = Write("from-env.yml", "instance-poll-time: 7s\n");
        var settings = Resolve(name => name == "VT_CONFIG_FILE" ? file : null);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Values.InstancePollTime);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("exit")]
    public void A_missing_file_refuses_start_with_error_and_exit(string handling)
    {
        var e = Assert.Throws<ConfigFileException>(() =>
            Resolve("--config-path", _directory, "--config-name", "absent", $"--config-file-not-found-handling={handling}"));
        Assert.Contains("\"absent\"", e.Message);
        Assert.Contains(handling, e.Message);
    }

    [Theory]
    [InlineData("ignore")]
    [InlineData("warn")]
    public void A_missing_file_is_passed_over_with_ignore_and_warn(string handling)
    {
        var configuration = DaemonConfiguration.Locate(
            ["--config-file", Path.Combine(_directory, "absent.yaml"), $"--config-file-not-found-handling={handling}"], NoEnvironment, NullLogger.Instance);
        Assert.Null(configuration.FilePath);
        Assert.Equal(TimeSpan.FromSeconds(5), configuration.Resolve().Values.InstancePollTime);
    }

    [Fact]
    public void A_bad_value_in_the_file_names_the_file_and_the_setting()
    {
        var file = Write("bad.yaml", "instance-poll-time: soon\n");
        var e = Assert.Throws<ConfigFileException>(() => Resolve("--config-file", file));
        Assert.Contains(file, e.Message);
        Assert.Contains("--instance-poll-time", e.Message);
        Assert.Contains("soon", e.Message);
    }

    [Fact]
    public void Keys_that_are_not_settings_are_reported_and_ignored()
    {
        var file = Write("extra.yaml", "port: 1234\nno-such-setting: 1\ninstance-poll-time: 2s\n");
        var settings = Resolve("--config-file", file);
        Assert.Equal(0, settings.Values.Port);
        Assert.Contains(settings.Warnings, w => w.Contains("\"port\" can only be given on the command line", StringComparison.Ordinal));
        Assert.Contains(settings.Warnings, w => w.Contains("\"no-such-setting\" is not a setting", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Values.InstancePollTime);
    }

    [Fact]
    public void An_unsupported_format_is_refused_naming_it()
    {
        var file = Write("vtorc.toml", "instance-poll-time = \"2s\"\n");
        var e = Assert.Throws<ConfigFileException>(() => Resolve("--config-file", file));
        Assert.Contains("\"toml\" is not supported", e.Message);
    }

    [Fact]
    public void Changed_settings_are_those_whose_value_differs()
    {
        var file = Write("vtorc.yaml", "instance-poll-time: 2s\n");
        var configuration = DaemonConfiguration.Locate(["--config-file", file], NoEnvironment, NullLogger.Instance);
        var before = configuration.Resolve();
        File.WriteAllText(file, "instance-poll-time: 2s\nreasonable-replication-lag: 20s\n");
        var after = configuration.Resolve();
        Assert.Equal(["reasonable-replication-lag"], after.ChangedSince(before));
    }
}
