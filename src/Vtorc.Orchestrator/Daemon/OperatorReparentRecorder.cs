using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Store;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// Logs the steps of one operator reparent and records it in the history store as it goes (started, each step at the
/// time it happened, the end), so a page looking during a long ERS sees it running. Events arrive synchronously from
/// the reparent's concurrent per-tablet work, so writes are chained in order rather than awaited by the reporter: a slow
/// or failing store never holds up or fails the reparent. Failed writes are logged by the store.
/// </summary>
internal sealed class OperatorReparentRecorder : IProgress<ReparentEvent>
{
    private readonly Lock _gate = new();
    private readonly OperatorReparentHistory _history;
    private readonly OperatorReparentRevisions _revisions;
    private readonly string _what;
    private readonly string _keyspace;
    private readonly string _shard;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task<long?> _started;
    private Task _tail;

    public OperatorReparentRecorder(OperatorReparentHistory history, OperatorReparentRevisions revisions, string kind, string what,
        string keyspace, string shard, string requestedBy, string requestedPrimary, TimeProvider time, ILogger logger)
    {
        _history = history;
        _revisions = revisions;
        _what = what;
        _keyspace = keyspace;
        _shard = shard;
        _time = time;
        _logger = logger;
        _started = StartAsync(kind, requestedBy, requestedPrimary);
        _tail = _started;
    }

    public void Report(ReparentEvent value)
    {
        _logger.OperatorReparentStep(_what, _keyspace, _shard, value.ToString());
        var message = value.Kind is ReparentEventKind.Info or ReparentEventKind.Success ? value.Message : $"{value.Kind}: {value.Message}";
        Append(id => _history.AddStepAsync(id, value.Time, message, CancellationToken.None));
    }

    /// <summary>Records the end and waits until everything of this reparent is written (or failed to be).</summary>
    public Task EndAsync(ReparentResult? result, string error)
    {
        var now = _time.GetUtcNow();
        Append(id => _history.EndAsync(id, result is not null, result?.NewPrimary ?? "", result?.PreviousPrimary ?? "", error, now, CancellationToken.None));
        lock (_gate)
        {
            return _tail;
        }
    }

    private async Task<long?> StartAsync(string kind, string requestedBy, string requestedPrimary)
    {
        // Read before the reparent's first step: the steps' offsets from the start are never negative.
        var at = _time.GetUtcNow();
        // Off the caller's thread: the reparent starts without waiting for the store.
        await Task.Yield();
        try
        {
            return await _history.StartAsync(kind, _keyspace, _shard, requestedBy, requestedPrimary, at, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.OperatorReparentWriteFailed(e, "the start", $"{_what} of {_keyspace}/{_shard}");
            return null;
        }
        finally
        {
            _revisions.Changed(_keyspace, _shard);
        }
    }

    private void Append(Func<long, Task<bool>> write)
    {
        lock (_gate)
        {
            _tail = WriteAfterAsync(_tail, write);
        }
    }

    private async Task WriteAfterAsync(Task previous, Func<long, Task<bool>> write)
    {
        await previous.ConfigureAwait(false);
        // Not started in the store (logged): its steps and end have nothing to belong to.
        if (await _started.ConfigureAwait(false) is not { } id)
        {
            return;
        }
        try
        {
            await write(id).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.OperatorReparentWriteFailed(e, "a step or the end", $"operator reparent {id}");
        }
        _revisions.Changed(_keyspace, _shard);
    }
}
