using Microsoft.Extensions.Logging;

namespace Vtorc.Protocol.Background;

/// <summary>
/// One background task of a process (a tick, a sampler, a watch): owns the task and its cancellation, starts it once,
/// and stops it by cancelling and awaiting it, optionally within a bound. What the body does not handle itself is
/// logged under the loop's name and never escapes: a loop that fails says so when it fails, not at shutdown, and an
/// exception cannot end the process or go unobserved (docs/architecture.md, "Background loops").
/// </summary>
public sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _body;
    private readonly bool _startInline;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _task;
    private bool _stopRequested;

    /// <param name="name">What the logs call the loop ("caretaking tick", "zone1-0000000100 disk health").</param>
    /// <param name="body">Runs until its token is cancelled; returning early ends the loop.</param>
    public BackgroundLoop(string name, ILogger logger, Func<CancellationToken, Task> body)
        : this(name, logger, body, startInline: false)
    {
    }

    private BackgroundLoop(string name, ILogger logger, Func<CancellationToken, Task> body, bool startInline)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(body);
        Name = name;
        _logger = logger;
        _body = body;
        _startInline = startInline;
        Stopping = _stop.Token;
    }

    /// <summary>
    /// A loop that calls <paramref name="tick"/> every <paramref name="period"/> on <paramref name="time"/>'s clock, the
    /// first time one period after <see cref="Start"/> (the timer exists when Start returns, so a test that moves a fake
    /// clock right after it is seen). The period is read at every tick (it may be a dynamic
    /// setting) and applies from there. A tick that throws is logged with the loop's name and the next tick comes as usual.
    /// </summary>
    public static BackgroundLoop Periodic(string name, ILogger logger, Func<TimeSpan> period, TimeProvider time, Func<CancellationToken, Task> tick)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(tick);
        return new BackgroundLoop(name, logger, stopping => TickAsync(name, logger, period, time, tick, stopping), startInline: true);
    }

    /// <inheritdoc cref="Periodic(string, ILogger, Func{TimeSpan}, TimeProvider, Func{CancellationToken, Task})"/>
    public static BackgroundLoop Periodic(string name, ILogger logger, TimeSpan period, TimeProvider time, Action tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        return Periodic(name, logger, () => period, time, _ =>
        {
            tick();
            return Task.CompletedTask;
        });
    }

    public string Name { get; }

    /// <summary>Cancelled when the loop is asked to stop (valid after <see cref="DisposeAsync"/> too).</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Starts the body on the thread pool; a second call, or one after stopping began, does nothing.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_task is null && !_stopRequested)
            {
                // A periodic body only creates its timer before its first wait: it may start on the caller's thread.
                _task = _startInline ? RunAsync() : Task.Run(RunAsync, CancellationToken.None);
            }
        }
    }

    /// <summary>Cancels the body and waits for it to end. Never throws: a failure was logged when it happened.</summary>
    public async Task StopAsync()
    {
        await (await CancelAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels the body and waits at most <paramref name="bound"/> (on <paramref name="time"/>'s clock) for it to end;
    /// false, and a warning naming the loop, when it is still running then (it goes on ending in the background).
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan bound, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var task = await CancelAsync().ConfigureAwait(false);
        if (task.IsCompleted)
        {
            return true;
        }
        using var wait = new CancellationTokenSource();
        var timeout = Task.Delay(bound, time, wait.Token);
        if (await Task.WhenAny(task, timeout).ConfigureAwait(false) == task)
        {
            await wait.CancelAsync().ConfigureAwait(false);
            return true;
        }
        _logger.BackgroundLoopStopTimedOut(Name, bound);
        return false;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Cancels the body (its cancellation callbacks run on the thread pool, not the caller's thread).</summary>
    private async Task<Task> CancelAsync()
    {
        Task? task;
        lock (_gate)
        {
            // Under the gate, so a concurrent Start either started the body before or starts nothing.
            _stopRequested = true;
            task = _task;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        return task ?? Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        try
        {
            await _body(Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.BackgroundLoopFailed(e, Name, e.Message);
        }
    }

    private static async Task TickAsync(string name, ILogger logger, Func<TimeSpan> period, TimeProvider time,
        Func<CancellationToken, Task> tick, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(period(), time);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            var next = period();
            if (timer.Period != next)
            {
                timer.Period = next;
            }
            try
            {
                await tick(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.BackgroundLoopTickFailed(e, name, e.Message);
            }
        }
    }
}
