namespace Vtorc.Agent.Disk;

/// <summary>
/// One disk-health probe: a small write to the data directory that must reach the disk. It blocks for as long as the
/// disk does (a stalled disk may never return); <see cref="DiskHealthMonitor"/> runs it on a thread of its own and
/// times it. An exception means the disk cannot take writes (read-only file system, no space…).
/// </summary>
public interface IDiskProbe
{
    /// <summary>Where the probe writes, for log lines.</summary>
    string Target { get; }

    void Write();
}
