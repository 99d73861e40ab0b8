namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// Holds a scripted tablet RPC until the test releases it: <see cref="Entered"/> completes when the first call arrives,
/// and every call waits for <see cref="Release"/> or its caller's cancellation (then it ends as cancelled).
/// </summary>
internal sealed class RpcGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => _entered.Task;

    public bool Released => _released.Task.IsCompleted;

    public void Release() => _released.TrySetResult();

    public async Task<object?> PassAsync(FakeCall call, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        return null;
    }
}
