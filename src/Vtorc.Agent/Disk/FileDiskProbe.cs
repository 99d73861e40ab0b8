using System.Globalization;

namespace Vtorc.Agent.Disk;

/// <summary>
/// vttablet's probe (go/vt/vttablet/tabletserver/disk_health_monitor.go): create or truncate
/// <c>&lt;dir&gt;/.stalled_disk_check</c>, write the current Unix time in nanoseconds as decimal text, fsync, close.
/// </summary>
internal sealed class FileDiskProbe : IDiskProbe
{
    public const string FileName = ".stalled_disk_check";

    private readonly TimeProvider _time;

    public FileDiskProbe(string directory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Target = Path.Combine(directory, FileName);
        _time = time;
    }

    public string Target { get; }

    public void Write()
    {
        long nanoseconds = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var bytes = System.Text.Encoding.ASCII.GetBytes(nanoseconds.ToString(CultureInfo.InvariantCulture));
        using var file = new FileStream(Target, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }
}
