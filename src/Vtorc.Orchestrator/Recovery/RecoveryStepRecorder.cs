using Microsoft.Extensions.Logging;
using Vtorc.Reparent.Operations;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// Writes the steps of one recovery to the history in the order they happen. Reparent events arrive synchronously
/// from concurrent per-tablet work, so writes are chained rather than awaited by the reporter; <see cref="FlushAsync"/>
/// waits for all of them. A failed write is logged, never thrown: the recovery itself must go on.
/// </summary>
internal sealed class RecoveryStepRecorder : IProgress<ReparentEvent>
{
    private readonly Lock _gate = new();
    private readonly IRecoveryHistory _history;
    private readonly long _recoveryId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _cancellationToken;
    private Task _tail = Task.CompletedTask;

    public RecoveryStepRecorder(IRecoveryHistory history, long recoveryId, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        _history = history;
        _recoveryId = recoveryId;
        _time = time;
        _logger = logger;
        _cancellationToken = cancellationToken;
    }

    public void Add(string message) => Append(_time.GetUtcNow(), message);

    public void Report(ReparentEvent value)
    {
        switch (value.Kind)
        {
            case ReparentEventKind.Failure:
                _logger.ReparentStepFailed(_recoveryId, value.Message);
                break;
            case ReparentEventKind.Warning:
                _logger.ReparentStepWarning(_recoveryId, value.Message);
                break;
            case ReparentEventKind.Success:
                _logger.ReparentStepSucceeded(_recoveryId, value.Message);
                break;
            case ReparentEventKind.CandidateRejected:
                _logger.ReparentCandidateRejected(_recoveryId, value.Message);
                break;
            default:
                _logger.ReparentStep(_recoveryId, value.Message);
                break;
        }
        Append(value.Time, value.Kind is ReparentEventKind.Info or ReparentEventKind.Success ? value.Message : $"{value.Kind}: {value.Message}");
    }

    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _tail;
        }
    }

    private void Append(DateTimeOffset at, string message)
    {
        lock (_gate)
        {
            var previous = _tail;
            _tail = WriteAfterAsync(previous, at, message);
        }
    }

    private async Task WriteAfterAsync(Task previous, DateTimeOffset at, string message)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await _history.AddRecoveryStepAsync(_recoveryId, at, message, _cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.RecoveryStepNotStored(e, _recoveryId, message);
        }
    }
}
