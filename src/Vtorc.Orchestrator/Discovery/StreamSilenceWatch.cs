namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Ends the read of one health stream when nothing was heard on it for its deadline plus the daemon's own recent
/// <see cref="SchedulingLag"/> (a starved daemon reads late, and its lateness is not the tablet's silence). No timer of
/// its own: the listener's sweep calls <see cref="Check"/> for every stream a few times a second, with the time and the
/// lag allowance read once per sweep (at fleet size that is 40,000 checks a second). A timer per stream, re-armed as
/// messages came, was ten thousand timer operations a second at fleet size, contending on the process's timer queues.
/// </summary>
internal sealed class StreamSilenceWatch
{
    private static readonly long Infinite = Timeout.InfiniteTimeSpan.Ticks;

    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _read;
    private long _lastHeard;
    private long _deadlineTicks;

    /// <param name="read">Cancelled when the stream counts as silent.</param>
    /// <param name="firstDeadline">How long the first message may take.</param>
    public StreamSilenceWatch(TimeProvider time, CancellationTokenSource read, TimeSpan firstDeadline)
    {
        _time = time;
        _read = read;
        _lastHeard = time.GetTimestamp();
        _deadlineTicks = firstDeadline.Ticks;
    }

    /// <summary>The lag allowance of the check that ended the read (zero until one did).</summary>
    public TimeSpan LagAllowanceUsed { get; private set; }

    /// <summary>The silence allowed since the last message (before the lag allowance).</summary>
    public TimeSpan Deadline => TimeSpan.FromTicks(Volatile.Read(ref _deadlineTicks));

    /// <summary>A message arrived; <paramref name="deadline"/> is the silence allowed from now on (infinite: none).</summary>
    public void Heard(TimeSpan deadline)
    {
        Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        Volatile.Write(ref _deadlineTicks, deadline.Ticks);
    }

    /// <summary>Ends the read if the stream has been silent for longer than its deadline plus <paramref name="lagAllowance"/>.</summary>
    /// <param name="now">The sweep's <see cref="TimeProvider.GetTimestamp"/>.</param>
    /// <param name="lagAllowance">How late the daemon has been running its timers lately.</param>
    /// <returns>True when it did.</returns>
    public bool Check(long now, TimeSpan lagAllowance)
    {
        long deadline = Volatile.Read(ref _deadlineTicks);
        if (deadline == Infinite || _read.IsCancellationRequested)
        {
            return false;
        }
        var silent = _time.GetElapsedTime(Volatile.Read(ref _lastHeard), now);
        if (silent < TimeSpan.FromTicks(deadline) + lagAllowance)
        {
            return false;
        }
        try
        {
            LagAllowanceUsed = lagAllowance;
            _read.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // The stream ended meanwhile.
            return false;
        }
    }
}
