using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;

namespace Vtorc.Cli.Logging;

/// <summary>
/// Removes our old log files from <c>--log_dir</c> every <see cref="LogPurgeSettings.Interval"/> (the first time one
/// interval after start, as Vitess's ticker does), by <see cref="LogPurgeDecision"/>, logging each file removed. A file
/// that cannot be listed or removed is logged and skipped; the purge never stops the daemon.
/// </summary>
internal sealed class LogPurger : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Func<string> _currentFile;
    private readonly LogPurgeSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BackgroundLoop _loop;

    /// <param name="currentFile">The file being written now (it changes on rotation).</param>
    public LogPurger(string directory, Func<string> currentFile, LogPurgeSettings settings, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--purge-logs-interval must be positive, not {settings.Interval}", nameof(settings));
        }
        _directory = directory;
        _currentFile = currentFile;
        _settings = settings;
        _logger = logger;
        _time = time;
        _loop = BackgroundLoop.Periodic("log purge", logger, settings.Interval, time, () => PurgeOnce());
        _loop.Start();
    }

    /// <summary>One purge now; returns the files removed.</summary>
    public IReadOnlyList<string> PurgeOnce()
    {
        IReadOnlyList<LogFileEntry> entries;
        try
        {
            entries = [.. new DirectoryInfo(_directory).EnumerateFileSystemInfos("vtorc.*").Select(Entry)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogDirectoryUnreadable(_directory, e.Message);
            return [];
        }
        var removed = new List<string>();
        foreach (var path in LogPurgeDecision.FilesToRemove(entries, Path.GetFullPath(_currentFile()), _time.GetUtcNow(), _settings))
        {
            try
            {
                File.Delete(path);
                removed.Add(path);
                _logger.LogFileRemoved(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogFileNotRemoved(path, e.Message);
            }
        }
        return removed;
    }

    private static LogFileEntry Entry(FileSystemInfo info) =>
        new(info.FullName, info is FileInfo && info.LinkTarget is null, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
