using Vtorc.Cli.Logging;

namespace Vtorc.Cli.Tests;

/// <summary>Which log files --keep-logs and --keep-logs-by-mtime remove (the decision alone, no files).</summary>
public sealed class LogPurgeDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static string Named(TimeSpan age, int sequence = 1) => "/logs/" + LogFileName.Create((Now - age).UtcDateTime, 4242, sequence);

    private static LogFileEntry File(string path, TimeSpan? writtenAgo = null, bool regular = true) => new(path, regular, Now - (writtenAgo ?? TimeSpan.Zero));

    private static IReadOnlyList<string> Remove(LogPurgeSettings settings, string current, params LogFileEntry[] entries) =>
        LogPurgeDecision.FilesToRemove(entries, current, Now, settings);

    [Fact]
    public void Keep_logs_removes_files_started_longer_ago_than_the_period()
    {
        string old = Named(3 * Hour), young = Named(TimeSpan.FromMinutes(30), 2), current = Named(TimeSpan.Zero, 3);

        var removed = Remove(new LogPurgeSettings(Hour, TimeSpan.Zero, Hour), current, File(old), File(young), File(current));

        Assert.Equal([old], removed);
    }

    [Fact]
    public void The_age_must_exceed_the_period_not_equal_it()
    {
        string exactly = Named(Hour), current = Named(TimeSpan.Zero, 2);

        Assert.Empty(Remove(new LogPurgeSettings(Hour, Hour, Hour), current, File(exactly, writtenAgo: Hour)));
    }

    [Fact]
    public void Keep_logs_by_mtime_removes_files_last_written_longer_ago_than_the_period()
    {
        // Both started long ago; only one has not been written for over an hour.
        string stale = Named(10 * Hour), fresh = Named(10 * Hour, 2), current = Named(TimeSpan.Zero, 3);

        var removed = Remove(new LogPurgeSettings(TimeSpan.Zero, Hour, Hour), current,
            File(stale, writtenAgo: 2 * Hour), File(fresh, writtenAgo: TimeSpan.FromMinutes(5)));

        Assert.Equal([stale], removed);
    }

    [Fact]
    public void Either_rule_is_enough()
    {
        string oldStart = Named(5 * Hour), oldWrite = Named(TimeSpan.FromMinutes(10), 2), current = Named(TimeSpan.Zero, 3);

        var removed = Remove(new LogPurgeSettings(2 * Hour, TimeSpan.FromMinutes(5), Hour), current,
            File(oldStart, writtenAgo: TimeSpan.FromMinutes(1)), File(oldWrite, writtenAgo: TimeSpan.FromMinutes(8)));

        Assert.Equal([oldStart, oldWrite], removed);
    }

    [Fact]
    public void Zero_keeps_files_for_ever()
    {
        string ancient = Named(1000 * Hour), current = Named(TimeSpan.Zero, 2);

        Assert.Empty(Remove(new LogPurgeSettings(TimeSpan.Zero, TimeSpan.Zero, Hour), current, File(ancient, writtenAgo: 1000 * Hour)));
    }

    [Fact]
    public void The_file_being_written_is_never_removed()
    {
        string current = Named(100 * Hour);

        Assert.Empty(Remove(new LogPurgeSettings(Hour, Hour, Hour), current, File(current, writtenAgo: 100 * Hour)));
    }

    [Fact]
    public void Links_and_files_that_are_not_ours_are_left_alone()
    {
        string link = Named(100 * Hour), current = Named(TimeSpan.Zero, 2);

        var removed = Remove(new LogPurgeSettings(Hour, Hour, Hour), current,
            File(link, writtenAgo: 100 * Hour, regular: false),
            File("/logs/" + LogFileName.CurrentLink, writtenAgo: 100 * Hour),
            File("/logs/vtorc.host.user.log.INFO.20200101-000000.1", writtenAgo: 100 * Hour),
            File("/logs/notes.txt", writtenAgo: 100 * Hour));

        Assert.Empty(removed);
    }

    [Fact]
    public void Our_file_names_carry_their_start_time()
    {
        var start = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

        Assert.True(LogFileName.TryParseStart(LogFileName.Create(start, 17, 2), out var parsed));
        Assert.Equal(new DateTimeOffset(start), parsed);
        Assert.False(LogFileName.TryParseStart("vtorc.log", out _));
    }
}
