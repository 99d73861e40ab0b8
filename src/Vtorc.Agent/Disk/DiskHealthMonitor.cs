using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;

namespace Vtorc.Agent.Disk;

/// <summary>
/// Detects a stalled data directory as vttablet does (go/vt/vttablet/tabletserver/disk_health_monitor.go;
/// docs/reliability.md, "A stalled disk"): every <see cref="Interval"/> one <see cref="IDiskProbe"/> write, unless the
/// previous one is still running. The disk counts as stalled when the last probe failed or took longer than
/// <see cref="Timeout"/>, and while a probe has been running for longer than that; it is healthy again only when a
/// probe completes in time. FullStatus then reports <c>disk_stalled</c> and the health stream stops serving.
/// </summary>
public sealed class DiskHealthMonitor : IAsyncDisposable
{
    private readonly IDiskProbe _probe;
    private readonly string _alias;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BackgroundLoop _loop;
    private readonly Lock _gate = new();
    private DateTimeOffset? _probeStarted;
    private bool _lastFailed;
    private bool _reported;

    public DiskHealthMonitor(IDiskProbe probe, TimeSpan interval, TimeSpan timeout, string alias, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"disk write interval {interval.TotalSeconds} s must be positive", nameof(interval));
        }
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"disk write timeout {timeout.TotalSeconds} s must be positive", nameof(timeout));
        }
        _probe = probe;
        Interval = interval;
        Timeout = timeout;
        _alias = alias;
        _logger = logger;
        _time = time;
        _loop = new BackgroundLoop($"{alias} disk health", logger, RunAsync);
    }

    public TimeSpan Interval { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Raised when <see cref="IsStalled"/> changes (seen at a probe's end or at a tick).</summary>
    public event Action? Changed;

    public bool IsStalled
    {
        get
        {
            lock (_gate)
            {
                return StalledLocked(_time.GetUtcNow());
            }
        }
    }

    public void Start() => _loop.Start();

    private bool StalledLocked(DateTimeOffset now) => _lastFailed || (_probeStarted is { } started && now - started > Timeout);

    private async Task RunAsync(CancellationToken stopping)
    {
        _logger.DiskProbeStarted(_alias, _probe.Target, Interval.TotalSeconds, Timeout.TotalSeconds);
        while (!stopping.IsCancellationRequested)
        {
            bool start;
            lock (_gate)
            {
                start = _probeStarted is null;
                if (start)
                {
                    _probeStarted = _time.GetUtcNow();
                }
            }
            if (start)
            {
                // A stalled write blocks its thread in the kernel; a dedicated thread keeps it off the pool.
                _ = Task.Factory.StartNew(Probe, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            Report();
            try
            {
                await Task.Delay(Interval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Probe()
    {
        string? error = null;
        try
        {
            _probe.Write();
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        var ended = _time.GetUtcNow();
        lock (_gate)
        {
            var took = ended - _probeStarted!.Value;
            _lastFailed = error is not null || took > Timeout;
            _probeStarted = null;
            if (error is not null)
            {
                _logger.DiskWriteFailed(_alias, _probe.Target, error);
            }
            else if (took > Timeout)
            {
                _logger.DiskWriteSlow(_alias, _probe.Target, took.TotalSeconds, Timeout.TotalSeconds);
            }
        }
        Report();
    }

    /// <summary>Logs and signals a change of the stalled state.</summary>
    private void Report()
    {
        bool changed;
        bool stalled;
        lock (_gate)
        {
            stalled = StalledLocked(_time.GetUtcNow());
            changed = stalled != _reported;
            _reported = stalled;
        }
        if (!changed)
        {
            return;
        }
        if (stalled)
        {
            _logger.DiskStalled(_alias, _probe.Target);
        }
        else
        {
            _logger.DiskRecovered(_alias, _probe.Target);
        }
        Changed?.Invoke();
    }

    // A probe still blocked in the kernel is left to its (background) thread: nothing can interrupt it.
    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
