using System.CommandLine;
using Microsoft.Extensions.Logging;
using Vtorc.Cli.Daemon;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli.Tests;

/// <summary>glog's and slog's flags mapped onto our logger: --log_dir writes files, the level flags filter.</summary>
public sealed class LoggingFlagsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vtorc-logs-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static (DaemonCommandLine CommandLine, ParseResult Parsed) Parse(params string[] args)
    {
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.CreateParser().Parse(FlagSpelling.Normalize(args));
        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        return (commandLine, parsed);
    }

    [Theory]
    [InlineData("--log_dir")]
    [InlineData("--log-dir")]
    public void Log_dir_gets_a_log_file_with_every_line_at_the_level(string spelling)
    {
        var (commandLine, parsed) = Parse(spelling, _directory, "--log-level", "warn");
        string file;
        using (var logging = commandLine.Logging.Create(parsed))
        {
            var logger = logging.Factory.CreateLogger("test");
            logger.LogInformation("below the level");
            logger.LogWarning("a warning for the file");
            file = logging.CurrentFile!;
        }
        Assert.StartsWith(_directory, file, StringComparison.Ordinal);
        var text = File.ReadAllText(file);
        Assert.Contains("a warning for the file", text, StringComparison.Ordinal);
        Assert.DoesNotContain("below the level", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "vtorc.log")), "vtorc.log links to the current file");
    }

    [Fact]
    public void A_log_file_line_names_its_event_id_as_the_console_does()
    {
        var (commandLine, parsed) = Parse("--log_dir", _directory);
        string file;
        using (var logging = commandLine.Logging.Create(parsed))
        {
            logging.Factory.CreateLogger("Vtorc.Test").LogWarning(new EventId(3006, "ShardLockHeldElsewhere"), "shard locked elsewhere");
            file = logging.CurrentFile!;
        }
        Assert.Contains(" warn: Vtorc.Test[3006]: shard locked elsewhere", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Logtostderr_writes_no_files_and_v_lowers_the_level_to_debug()
    {
        var (commandLine, parsed) = Parse("--log_dir", _directory, "--logtostderr", "--v", "2");
        using var logging = commandLine.Logging.Create(parsed);
        Assert.Null(logging.CurrentFile);
        Assert.False(Directory.Exists(_directory));
        Assert.True(logging.Factory.CreateLogger("test").IsEnabled(LogLevel.Debug));
    }

    [Fact]
    public void The_frameworks_information_lines_stay_out_of_stderr()
    {
        var (commandLine, parsed) = Parse("--log-level", "debug");
        using var logging = commandLine.Logging.Create(parsed);
        Assert.False(logging.Factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.True(logging.Factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
        Assert.True(logging.Factory.CreateLogger("Vtorc.Orchestrator.Daemon.OrchestratorDaemon").IsEnabled(LogLevel.Debug));
    }

    [Fact]
    public void A_full_log_file_is_closed_and_a_new_one_started()
    {
        var (commandLine, parsed) = Parse("--log_dir", _directory, "--log-rotate-max-size", "200");
        using (var logging = commandLine.Logging.Create(parsed))
        {
            var logger = logging.Factory.CreateLogger("test");
            for (int i = 0; i < 5; i++)
            {
                logger.LogWarning("line {Number} long enough to fill a small file quickly: {Padding}", i, new string('x', 80));
            }
        }
        Assert.True(Directory.GetFiles(_directory, "vtorc.*.log").Length >= 2, "more than one log file");
    }

    [Fact]
    public void Bad_values_name_the_flag()
    {
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.CreateParser().Parse(["--log-level", "loud", "--stderrthreshold", "NOISY", "--log-format", "xml"]);
        var errors = string.Join("; ", parsed.Errors.Select(e => e.Message));
        Assert.Contains("--log-level", errors, StringComparison.Ordinal);
        Assert.Contains("--stderrthreshold", errors, StringComparison.Ordinal);
        Assert.Contains("--log-format", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_without_effect_given_on_the_command_line_are_reported_with_their_reason()
    {
        var (commandLine, parsed) = Parse("--pprof", "cpu", "--grpc-keepalive-time", "5s", "--catch-sigpipe");
        var given = commandLine.NoEffect.Given(parsed);
        Assert.Equal(["--catch-sigpipe", "--grpc-keepalive-time", "--pprof"], given.Select(g => g.Name).Order(StringComparer.Ordinal));
        Assert.All(given, g => Assert.NotEmpty(g.Reason));
    }
}
