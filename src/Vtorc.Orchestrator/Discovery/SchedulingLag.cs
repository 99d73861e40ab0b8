namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// How late this process has been running its own timers over the last <see cref="Memory"/> (docs/reliability.md, "Push
/// detection"). A daemon starved of CPU or paused by its garbage collector reads its sockets late by about as much as
/// its timers fire late, so a health stream that seems silent for the timeout may only be unread: the silence deadline
/// is extended by this lag. Without it, a daemon under load took thousands of healthy streams for silent ones, tore them
/// down and reconnected them, which loaded it further.
/// </summary>
public sealed class SchedulingLag
{
    /// <summary>How often the lateness is sampled.</summary>
    public static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a late sample counts.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, TimeSpan Late)> _samples = new();
    private long _recentMaxTicks;

    /// <summary>The largest lateness sampled within the last <see cref="Memory"/>.</summary>
    public TimeSpan RecentMax => TimeSpan.FromTicks(Volatile.Read(ref _recentMaxTicks));

    /// <summary>Records that a timer due at <paramref name="at"/> − <paramref name="late"/> ran at <paramref name="at"/>.</summary>
    public void Record(DateTimeOffset at, TimeSpan late)
    {
        lock (_lock)
        {
            _samples.Enqueue((at, late < TimeSpan.Zero ? TimeSpan.Zero : late));
            while (_samples.Count > 0 && at - _samples.Peek().At > Memory)
            {
                _samples.Dequeue();
            }
            long max = 0;
            foreach (var (_, sample) in _samples)
            {
                max = Math.Max(max, sample.Ticks);
            }
            Volatile.Write(ref _recentMaxTicks, max);
        }
    }

    /// <summary>Samples the lateness of a <see cref="Probe"/> delay until stopped.</summary>
    public async Task RunAsync(TimeProvider time, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var started = time.GetTimestamp();
                await Task.Delay(Probe, time, stopping).ConfigureAwait(false);
                Record(time.GetUtcNow(), time.GetElapsedTime(started) - Probe);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
