using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// Appends audit lines to <c>--audit-file-location</c> off the caller's path: <see cref="Enqueue"/> never blocks on
/// disk. Disposal drains the queue and flushes, so no accepted line is lost on shutdown. A line that cannot be
/// written is logged with its text.
/// </summary>
public sealed class AuditFileWriter : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FileStream _file;
    private readonly ILogger _logger;
    private readonly Task _pump;

    private AuditFileWriter(string path, FileStream file, ILogger logger)
    {
        Path = path;
        _file = file;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    public string Path { get; }

    /// <summary>Opens (creating when missing) the file for appending; failure names the path.</summary>
    public static AuditFileWriter Open(string path, ILogger logger)
    {
        try
        {
            var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096,
                FileOptions.Asynchronous);
            return new AuditFileWriter(path, file, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StoreOpenException($"--audit-file-location \"{path}\": cannot open the audit file for appending: {ex.Message}", ex);
        }
    }

    /// <summary>Queues a line; false once the writer is shutting down.</summary>
    public bool Enqueue(string line) => _lines.Writer.TryWrite(line);

    private async Task PumpAsync()
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var line))
            {
                try
                {
                    await _file.WriteAsync(Encoding.UTF8.GetBytes(line + "\n")).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    _logger.AuditFileWriteFailed(ex, Path, line);
                }
            }
            try
            {
                await _file.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                _logger.AuditFileFlushFailed(ex, Path);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
