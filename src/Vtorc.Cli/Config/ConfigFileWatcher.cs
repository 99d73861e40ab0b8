using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;

namespace Vtorc.Cli.Config;

/// <summary>
/// Re-reads the config file when it changes (viper's <c>WatchConfig</c>, go/viperutil/internal/sync/sync.go) and hands
/// the merged settings to <c>apply</c>. The directory is watched, not the file, so an editor that replaces the file
/// (write to a temporary file, then rename) is seen too. A file that cannot be read or holds a bad value is logged
/// and the settings in force stay.
/// </summary>
internal sealed class ConfigFileWatcher : IAsyncDisposable
{
    // Editors write a file in several steps; reading it this long after the last event sees the finished file.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    private readonly DaemonConfiguration _configuration;
    private readonly Action<ResolvedSettings> _apply;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly BackgroundLoop _loop;
    private string? _lastText;

    public ConfigFileWatcher(DaemonConfiguration configuration, Action<ResolvedSettings> apply, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        _apply = apply ?? throw new ArgumentNullException(nameof(apply));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var path = configuration.FilePath ?? throw new ArgumentException("there is no config file to watch", nameof(configuration));
        _lastText = ReadText(path);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => _changes.Writer.TryWrite(true);
        _watcher.Created += (_, _) => _changes.Writer.TryWrite(true);
        _watcher.Renamed += (_, _) => _changes.Writer.TryWrite(true);
        _watcher.EnableRaisingEvents = true;
        _loop = new BackgroundLoop("config file watch", _logger, LoopAsync);
        _loop.Start();
        _logger.ConfigFileWatched(path);
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (await _changes.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            await Task.Delay(Settle, stopping).ConfigureAwait(false);
            _changes.Reader.TryRead(out _);
            var text = ReadText(_configuration.FilePath!);
            if (text is null || text == _lastText)
            {
                continue;
            }
            _lastText = text;
            try
            {
                _apply(_configuration.Resolve());
            }
            catch (Exception e) when (e is ConfigFileException or ArgumentException)
            {
                _logger.ConfigChangeNotApplied(e.Message);
            }
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _watcher.Dispose();
        await _loop.StopAsync().ConfigureAwait(false);
    }
}
