using System.Globalization;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// CPU and memory of one process from /proc: CPU as utime+stime of /proc/PID/stat (clock ticks, 100 per second on
/// Linux) between two readings, memory as the largest VmRSS of /proc/PID/status seen by <see cref="Sample"/>.
/// </summary>
internal sealed class ProcessUsage(int pid)
{
    private const double TicksPerSecond = 100;

    private long _startTicks;
    private long _startWall;
    private long _maxRssKb;

    public int Pid => pid;

    public void Start()
    {
        _startTicks = CpuTicks();
        _startWall = Environment.TickCount64;
        _maxRssKb = 0;
        Sample();
    }

    /// <summary>Reads VmRSS once (call about once a second).</summary>
    public void Sample()
    {
        long rss = RssKb();
        if (rss > _maxRssKb)
        {
            _maxRssKb = rss;
        }
    }

    /// <summary>Cores used on average since <see cref="Start"/>.</summary>
    public double CoresSinceStart()
    {
        double cpuSeconds = (CpuTicks() - _startTicks) / TicksPerSecond;
        double wallSeconds = (Environment.TickCount64 - _startWall) / 1000.0;
        return wallSeconds <= 0 ? 0 : cpuSeconds / wallSeconds;
    }

    public double MaxRssMb => _maxRssKb / 1024.0;

    public int Threads => int.TryParse(StatusField("Threads:"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public int OpenFiles
    {
        get
        {
            try
            {
                return Directory.GetFiles($"/proc/{pid}/fd").Length;
            }
            catch (IOException)
            {
                return 0;
            }
            catch (UnauthorizedAccessException)
            {
                return 0;
            }
        }
    }

    private long CpuTicks()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may contain spaces) start at "state" (field 3); utime and stime are 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private long RssKb() =>
        long.TryParse(StatusField("VmRSS:")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
            ? kb
            : 0;

    private string? StatusField(string name)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?[name.Length..].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
