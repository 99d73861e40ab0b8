using System.Diagnostics;

namespace Vtorc.Testing;

/// <summary>
/// A temporary directory whose disk-stall probe file (<c>.stalled_disk_check</c>, vttablet's name) can be made to hang
/// without FUSE: <see cref="Stall"/> replaces it by a named pipe with no reader, so opening it for writing blocks in the
/// kernel as a write to a hung disk does; <see cref="ReleaseAsync"/> opens the reading end (letting the hung write
/// through) and removes the pipe, so later probes write a regular file again.
/// </summary>
public sealed class StallableDirectory : IAsyncDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vtorc-disk-stall-");
    private FileStream? _reader;

    public string Path => _directory.FullName;

    public string ProbeFile => System.IO.Path.Combine(Path, ".stalled_disk_check");

    public bool IsStalled { get; private set; }

    public void Stall()
    {
        File.Delete(ProbeFile);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [ProbeFile]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo did not start");
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {ProbeFile} exited with {mkfifo.ExitCode}");
        }
        IsStalled = true;
    }

    /// <summary>Lets a hung probe through (it must be waiting on the pipe, or a probe must come within the deadline).</summary>
    public async Task ReleaseAsync(TimeSpan deadline)
    {
        if (!IsStalled)
        {
            return;
        }
        _reader = await Task.Run(() => new FileStream(ProbeFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)).WaitAsync(deadline);
        File.Delete(ProbeFile);
        IsStalled = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsStalled)
        {
            try
            {
                await ReleaseAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // No probe is waiting on the pipe: nothing to release.
            }
        }
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }
        _directory.Delete(recursive: true);
    }
}
