using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Vtorc.Cli.Logging;

/// <summary>
/// <c>--log_dir</c>: log lines go to a file in the directory, named after the program, the start time and the pid
/// (as glog names its files), with a <c>vtorc.log</c> link to the current file; a file larger than
/// <c>--log-rotate-max-size</c> is closed and a new one started. Writes are serialised; a failed write is reported
/// once on stderr and logging to the file stops, so a full disk never stops the daemon.
/// </summary>
internal sealed class LogDirectoryProvider : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly string _directory;
    private readonly long _maxSize;
    private StreamWriter? _writer;
    private long _written;
    private int _files;
    private bool _failed;

    /// <exception cref="IOException">The directory cannot be created or the first file cannot be opened; the message names it.</exception>
    public LogDirectoryProvider(string directory, long maxSize)
    {
        _directory = directory;
        _maxSize = maxSize <= 0 ? long.MaxValue : maxSize;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            Open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"cannot write log files in --log_dir \"{directory}\": {e.Message}", e);
        }
    }

    /// <summary>The directory the files are written in.</summary>
    public string Directory => _directory;

    /// <summary>The file being written now.</summary>
    public string CurrentFile { get; private set; } = "";

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private void Open()
    {
        var now = DateTime.UtcNow;
        // The sequence number keeps two files of one process apart even when they start within the same millisecond.
        var name = LogFileName.Create(now, Environment.ProcessId, ++_files);
        CurrentFile = Path.Combine(_directory, name);
        _writer = new StreamWriter(new FileStream(CurrentFile, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
        _written = 0;
        var link = Path.Combine(_directory, LogFileName.CurrentLink);
        try
        {
            File.Delete(link);
            File.CreateSymbolicLink(link, name);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // The link is a convenience; the files are what matters.
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_writer is null || _failed)
            {
                return;
            }
            try
            {
                if (_written > 0 && _written + line.Length > _maxSize)
                {
                    _writer.Dispose();
                    Open();
                }
                _writer!.Write(line);
                _written += Encoding.UTF8.GetByteCount(line);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                _failed = true;
                Console.Error.WriteLine($"vtorc: writing the log file {CurrentFile} failed, logging to files stopped: {e.Message}");
            }
        }
    }

    private sealed class FileLogger(LogDirectoryProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var text = new StringBuilder()
                .Append(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ ", CultureInfo.InvariantCulture))
                // "category[event id]" as the console prints it, so a line is found by its id (docs/log-events.md).
                .Append(LevelName(logLevel)).Append(": ").Append(category).Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append("]: ")
                .Append(formatter(state, exception).ReplaceLineEndings(" "));
            if (exception is not null)
            {
                text.Append(Environment.NewLine).Append(exception);
            }
            owner.Write(text.Append(Environment.NewLine).ToString());
        }

        private static string LevelName(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
