using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Vtorc.Protocol.Background;

namespace Vtorc.Protocol.Tests.Background;

/// <summary>The one background-loop class every loop of the processes runs on: start, stop, failures, the clock.</summary>
public sealed class BackgroundLoopTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly FakeLogger<BackgroundLoopTests> _logger = new();
    private readonly FakeTimeProvider _time = new();

    /// <summary>Moves the fake clock one period at a time until <paramref name="condition"/> holds (the loop's timer
    /// is created on the thread pool, after Start returns).</summary>
    private Task AdvanceUntilAsync(Func<bool> condition, string what) =>
        Poll.UntilAsync(() =>
        {
            if (!condition())
            {
                _time.Advance(Period);
            }
            return Task.FromResult(condition());
        }, Generous, what);

    [Fact]
    public async Task APeriodicLoopTicksOnItsClockAndNoTickRunsAfterStopReturns()
    {
        int ticks = 0;
        var loop = BackgroundLoop.Periodic("gauge tick", _logger, Period, _time, () => Interlocked.Increment(ref ticks));
        loop.Start();
        Assert.Equal(0, Volatile.Read(ref ticks));

        // The timer runs from Start on: one period later is one tick, whatever thread the loop got.
        _time.Advance(Period);
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref ticks) == 1), Generous, "the first tick ran");
        _time.Advance(Period);
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref ticks) == 2), Generous, "the second tick ran");
        await loop.StopAsync();
        int atStop = Volatile.Read(ref ticks);
        _time.Advance(Period * 3);

        Assert.Equal(atStop, Volatile.Read(ref ticks));
        Assert.True(loop.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task ATickThatThrowsIsLoggedWithTheLoopsNameAndTheNextTickStillComes()
    {
        int ticks = 0;
        await using var loop = BackgroundLoop.Periodic("caretaking tick", _logger, () => Period, _time, _ =>
            Interlocked.Increment(ref ticks) == 1 ? throw new InvalidOperationException("the store is gone") : Task.CompletedTask);
        loop.Start();

        await AdvanceUntilAsync(() => Volatile.Read(ref ticks) >= 2, "a tick after the failed one ran");

        Assert.True(_logger.Has(LogLevel.Error, "caretaking tick"), _logger.ToString());
        Assert.True(_logger.Has(LogLevel.Error, "the store is gone"), _logger.ToString());
    }

    [Fact]
    public async Task ABodyThatThrowsIsLoggedWithTheLoopsNameWhenItFailsAndStopDoesNotThrow()
    {
        var loop = new BackgroundLoop("topo watch", _logger, _ => throw new InvalidOperationException("no cells"));
        loop.Start();

        await Poll.UntilAsync(() => Task.FromResult(_logger.Has(LogLevel.Error, "topo watch")), Generous, "the failure is logged");

        Assert.True(_logger.Has(LogLevel.Error, "no cells"), _logger.ToString());
        await loop.StopAsync();
    }

    [Fact]
    public async Task StopCancelsTheBodyAndWaitsUntilItHasEnded()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool ended = false;
        var loop = new BackgroundLoop("sampler", _logger, async stopping =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, stopping);
            }
            finally
            {
                cancelled.SetResult();
                await release.Task;
                ended = true;
            }
        });
        loop.Start();

        var stop = loop.StopAsync();
        await cancelled.Task.WaitAsync(Generous);
        Assert.False(stop.IsCompleted, "the stop returned before the body ended");
        release.SetResult();
        await stop.WaitAsync(Generous);

        Assert.True(ended);
        Assert.DoesNotContain(_logger.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ABoundedStopGivesUpOnABodyThatIgnoresCancellationAndSaysSo()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new BackgroundLoop("ledger writer", _logger, async _ =>
        {
            running.SetResult();
            await release.Task;
        });
        loop.Start();
        await running.Task.WaitAsync(Generous);

        var stop = loop.StopAsync(TimeSpan.FromSeconds(5), _time);
        Assert.False(stop.IsCompleted);
        await Poll.UntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return Task.FromResult(stop.IsCompleted);
        }, Generous, "the bounded stop gives up");

        Assert.False(await stop);
        Assert.True(_logger.Has(LogLevel.Warning, "ledger writer"), _logger.ToString());
        release.SetResult();
        Assert.True(await loop.StopAsync(TimeSpan.FromSeconds(5), _time));
    }

    [Fact]
    public async Task StartTwiceRunsTheBodyOnceAndStartAfterStopRunsNothing()
    {
        int runs = 0;
        var loop = new BackgroundLoop("probe", _logger, async stopping =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(Timeout.InfiniteTimeSpan, stopping);
        });
        loop.Start();
        loop.Start();
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref runs) == 1), Generous, "the body runs");
        await loop.StopAsync();
        loop.Start();
        await loop.StopAsync();

        Assert.Equal(1, Volatile.Read(ref runs));
        Assert.Empty(_logger.Lines);

        int never = 0;
        var stoppedFirst = new BackgroundLoop("never", _logger, _ => Task.FromResult(Interlocked.Increment(ref never)));
        await stoppedFirst.StopAsync();
        stoppedFirst.Start();
        await stoppedFirst.StopAsync();
        Assert.Equal(0, never);
    }
}
