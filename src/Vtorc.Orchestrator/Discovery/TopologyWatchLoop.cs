using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// Keeps one scope watched until shutdown: opens the watch from the next revision to apply, applies every change,
/// re-opens after a failure with a growing backoff (the client starts at the endpoint that last worked and fails over
/// to the others), and when that revision has been compacted, or none is known, re-reads the scope in full and
/// watches from the revision read before it. A stream that stays silent past <see cref="TopologyWatchSettings.StallTimeout"/>
/// although progress notices were asked for is dropped as dead.
/// </summary>
internal sealed class TopologyWatchLoop
{
    private readonly TopologyWatchScope _scope;
    private readonly TopologyWatchSettings _settings;
    private readonly TimeSpan _remoteTimeout;
    private readonly TopologyWatchStats _stats;
    private readonly ILogger _logger;
    // The next revision to watch from: one past the last change applied; 0 = unknown, re-read the scope first.
    private long _next;

    public TopologyWatchLoop(TopologyWatchScope scope, long startRevision, TopologyWatchSettings settings, TimeSpan remoteTimeout,
        TopologyWatchStats stats, ILogger logger)
    {
        _scope = scope;
        _next = startRevision;
        _settings = settings;
        _remoteTimeout = remoteTimeout;
        _stats = stats;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = _settings.ReconnectBackoffMin;
        bool opened = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (_next == 0)
                {
                    await RereadAsync(stopping).ConfigureAwait(false);
                }
                var connection = await WithRemoteTimeout(_scope.ConnectionAsync, stopping).ConfigureAwait(false);
                var watch = await connection.WatchDirectoryAsync(_scope.Directory, _next, stopping).ConfigureAwait(false);
                await using (watch.ConfigureAwait(false))
                {
                    _stats.StreamOpened();
                    _logger.TopoWatchOpened(_scope.Name, opened ? "re-established" : "started", _next, watch.Prefix, watch.Endpoint);
                    opened = true;
                    backoff = _settings.ReconnectBackoffMin;
                    await PumpAsync(watch, stopping).ConfigureAwait(false);
                }
                // etcd ended the stream without an error (it cancelled the watch): open it again after a short pause.
                _logger.TopoWatchStreamEnded(_scope.Name, _next);
                await Task.Delay(_settings.ReconnectBackoffMin, stopping).ConfigureAwait(false);
            }
            catch (TopoException e) when (e.Kind == TopoErrorKind.Compacted && !stopping.IsCancellationRequested)
            {
                _logger.TopoWatchCompacted(_scope.Name, _next, e.Message);
                _next = 0;
            }
            catch (Exception e) when (IsShutdown(e, stopping))
            {
                break;
            }
            catch (Exception e)
            {
                _logger.TopoWatchFailed(_scope.Name, e.Message, backoff, _next == 0 ? "(after a full re-read)" : _next);
                try
                {
                    await Task.Delay(backoff, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _settings.ReconnectBackoffMax.Ticks));
            }
        }
        _logger.TopoWatchStopped(_scope.Name);
    }

    /// <summary>The present state in full, then the watch from the revision read before it: no change falls in between.</summary>
    private async Task RereadAsync(CancellationToken stopping)
    {
        var connection = await WithRemoteTimeout(_scope.ConnectionAsync, stopping).ConfigureAwait(false);
        var revision = await WithRemoteTimeout(connection.CurrentRevisionAsync, stopping).ConfigureAwait(false);
        _stats.FullReread();
        _logger.TopoWatchFullRead(_scope.Name, revision);
        if (!await _scope.RereadAsync(stopping).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"the full read of the {_scope.Name} failed (see the refresh's warning)");
        }
        _next = revision + 1;
    }

    private async Task PumpAsync(ITopoDirectoryWatch watch, CancellationToken stopping)
    {
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var liveness = new StreamLiveness();
        var keeper = KeepAliveAsync(watch, stream, liveness);
        try
        {
            while (true)
            {
                IReadOnlyList<TopoChange>? batch;
                try
                {
                    batch = await watch.ReadAsync(stream.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (liveness.Stalled && !stopping.IsCancellationRequested
                    && e is OperationCanceledException or TopoException { Kind: TopoErrorKind.Interrupted })
                {
                    throw new TimeoutException(
                        $"nothing from {watch.Endpoint} for {_settings.StallTimeout.TotalSeconds:0.#} s although progress notices were requested; the stream is taken as dead");
                }
                if (batch is null)
                {
                    return;
                }
                foreach (var change in batch)
                {
                    Apply(change, watch.Prefix);
                }
            }
        }
        finally
        {
            await stream.CancelAsync().ConfigureAwait(false);
            await keeper.ConfigureAwait(false);
        }
    }

    private void Apply(TopoChange change, string prefix)
    {
        try
        {
            if (change.Key.StartsWith(prefix, StringComparison.Ordinal) && _scope.Apply(change, change.Key[prefix.Length..]))
            {
                _stats.ChangeApplied();
                _logger.TopoWatchChangeApplied(_scope.Name, change.IsDelete ? "deletion" : "new value", change.Key, change.Revision);
            }
        }
        catch (Exception e)
        {
            // A record that cannot be decoded (or applied) must not stop the others: it is skipped, and the refresh
            // reports it again at each tick until it is fixed.
            _stats.BadRecord();
            _logger.TopoWatchRecordSkipped(_scope.Name, change.Key, change.Revision, e.Message);
        }
        _next = Math.Max(_next, change.Revision + 1);
    }

    /// <summary>
    /// Asks for a progress notice whenever the stream has been silent for <see cref="TopologyWatchSettings.ProgressInterval"/>;
    /// cancels the stream once it has been silent for <see cref="TopologyWatchSettings.StallTimeout"/>.
    /// </summary>
    private async Task KeepAliveAsync(ITopoDirectoryWatch watch, CancellationTokenSource stream, StreamLiveness liveness)
    {
        var check = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, _settings.ProgressInterval.Ticks / 2));
        long lastRequest = 0;
        try
        {
            while (true)
            {
                await Task.Delay(check, stream.Token).ConfigureAwait(false);
                var silent = watch.SinceLastResponse;
                if (silent >= _settings.StallTimeout)
                {
                    liveness.Stalled = true;
                    _stats.Stall();
                    _logger.TopoWatchSilent(_scope.Name, watch.Endpoint, silent.TotalSeconds);
                    await stream.CancelAsync().ConfigureAwait(false);
                    return;
                }
                if (silent < _settings.ProgressInterval || (lastRequest != 0 && Stopwatch.GetElapsedTime(lastRequest) < _settings.ProgressInterval))
                {
                    continue;
                }
                lastRequest = Stopwatch.GetTimestamp();
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stream.Token);
                deadline.CancelAfter(_settings.ProgressInterval);
                try
                {
                    await watch.RequestProgressAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!stream.IsCancellationRequested)
                {
                    // The silence goes on counting: a stream that cannot take the request either is dropped at the stall timeout.
                    _logger.TopoWatchProgressRequestFailed(_scope.Name, e.Message);
                }
            }
        }
        catch (Exception) when (stream.IsCancellationRequested)
        {
            // The stream is over (shutdown, stall, or it failed and the pump left): so is its keepalive.
        }
    }

    private async Task<T> WithRemoteTimeout<T>(Func<CancellationToken, Task<T>> call, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_remoteTimeout);
        return await call(deadline.Token).ConfigureAwait(false);
    }

    private static bool IsShutdown(Exception e, CancellationToken stopping) =>
        stopping.IsCancellationRequested && e is OperationCanceledException or TopoException { Kind: TopoErrorKind.Interrupted };

    private sealed class StreamLiveness
    {
        public volatile bool Stalled;
    }
}
