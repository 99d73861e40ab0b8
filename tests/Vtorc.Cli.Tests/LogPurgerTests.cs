using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.Cli.Daemon;
using Vtorc.Cli.Flags;
using Vtorc.Cli.Logging;

namespace Vtorc.Cli.Tests;

/// <summary>The purge of old log files on a real directory, alone and wired to the daemon's logging flags.</summary>
public sealed class LogPurgerTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly string _directory = Directory.CreateTempSubdirectory("vtorc-purge-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string CreateLog(TimeSpan startedAgo, int sequence)
    {
        var path = Path.Combine(_directory, LogFileName.Create(DateTime.UtcNow - startedAgo, 4242, sequence));
        File.WriteAllText(path, "a line\n");
        return path;
    }

    [Fact]
    public async Task Removes_old_files_but_not_the_current_one_the_link_or_other_files()
    {
        string old = CreateLog(3 * Hour, 1), young = CreateLog(TimeSpan.FromMinutes(5), 2), current = CreateLog(5 * Hour, 3);
        string stale = CreateLog(TimeSpan.FromMinutes(10), 4);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - 2 * Hour);
        string other = Path.Combine(_directory, "vtorc.notes.txt");
        File.WriteAllText(other, "");
        string link = Path.Combine(_directory, LogFileName.CurrentLink);
        File.CreateSymbolicLink(link, Path.GetFileName(old));

        IReadOnlyList<string> removed;
        await using (var purger = new LogPurger(_directory, () => current, new LogPurgeSettings(Hour, Hour, Hour), NullLogger.Instance, TimeProvider.System))
        {
            removed = purger.PurgeOnce();
        }

        Assert.Equal([old, stale], removed.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(old));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(young));
        Assert.True(File.Exists(current));
        Assert.True(File.Exists(other));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task The_daemon_logging_purges_every_interval_and_logs_what_it_removed()
    {
        string old = CreateLog(3 * Hour, 1);
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.CreateParser().Parse(FlagSpelling.Normalize(["--log_dir", _directory, "--keep_logs", "1h", "--purge_logs_interval", "100ms"]));
        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));

        string current;
        using (var logging = commandLine.Logging.Create(parsed))
        {
            current = logging.CurrentFile!;
            await Poll.UntilAsync(() => Task.FromResult(!File.Exists(old)), TimeSpan.FromSeconds(30), "the old log file was purged");
        }

        Assert.True(File.Exists(current));
        Assert.Contains($"Removed old log file {old}", File.ReadAllText(current), StringComparison.Ordinal);
    }

    [Fact]
    public void Purge_flags_are_checked_as_durations()
    {
        var parsed = new DaemonCommandLine().CreateParser().Parse(["--purge-logs-interval", "0s", "--keep-logs", "soon"]);

        Assert.Contains(parsed.Errors, e => e.Message.Contains("--purge-logs-interval", StringComparison.Ordinal));
        Assert.Contains(parsed.Errors, e => e.Message.Contains("--keep-logs", StringComparison.Ordinal));
    }
}
