namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Ends the read of one health stream when nothing was heard on it for its deadline plus the daemon's own recent
/// <see cref="SchedulingLag"/> (a starved daemon reads late, and its lateness is not the tablet's silence). One timer per
/// stream that fires about once a deadline, instead of a timer re-armed on every message: at fleet size that was ten
/// thousand re-arms a second on the process's timer queues.
/// </summary>
internal sealed class StreamSilenceWatch : IDisposable
{
    private static readonly long Infinite = Timeout.InfiniteTimeSpan.Ticks;

    private readonly TimeProvider _time;
    private readonly SchedulingLag? _lag;
    private readonly CancellationTokenSource _read;
    private readonly ITimer _timer;
    private long _lastHeard;
    private long _deadlineTicks;

    /// <param name="read">Cancelled when the stream counts as silent.</param>
    /// <param name="firstDeadline">How long the first message may take.</param>
    public StreamSilenceWatch(TimeProvider time, SchedulingLag? lag, CancellationTokenSource read, TimeSpan firstDeadline)
    {
        _time = time;
        _lag = lag;
        _read = read;
        _lastHeard = time.GetTimestamp();
        _deadlineTicks = firstDeadline.Ticks;
        _timer = time.CreateTimer(static state => ((StreamSilenceWatch)state!).Check(), this, firstDeadline, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The silence allowed since the last message (before the lag allowance).</summary>
    public TimeSpan Deadline => TimeSpan.FromTicks(Volatile.Read(ref _deadlineTicks));

    /// <summary>A message arrived; <paramref name="deadline"/> is the silence allowed from now on (infinite: none).</summary>
    public void Heard(TimeSpan deadline)
    {
        Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        long before = Interlocked.Exchange(ref _deadlineTicks, deadline.Ticks);
        if (before == Infinite && deadline.Ticks != Infinite)
        {
            _timer.Change(deadline, Timeout.InfiniteTimeSpan);
        }
    }

    private void Check()
    {
        long deadline = Volatile.Read(ref _deadlineTicks);
        if (deadline == Infinite)
        {
            return;
        }
        var silent = _time.GetElapsedTime(Volatile.Read(ref _lastHeard));
        var allowed = TimeSpan.FromTicks(deadline) + (_lag?.RecentMax ?? TimeSpan.Zero);
        if (silent < allowed)
        {
            _timer.Change(allowed - silent, Timeout.InfiniteTimeSpan);
            return;
        }
        try
        {
            _read.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream ended meanwhile.
        }
    }

    public void Dispose() => _timer.Dispose();
}
