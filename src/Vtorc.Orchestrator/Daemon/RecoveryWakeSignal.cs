namespace Vtorc.Orchestrator.Daemon;

/// <summary>
/// Lets the discovery cut the wait before the next recovery tick short (a primary just stopped answering): several
/// signals before the tick collapse into one, so a burst of failures costs one extra analysis pass, not many.
/// </summary>
internal sealed class RecoveryWakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the pending tick covers this request too.
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    /// <returns>True when woken by a signal.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
