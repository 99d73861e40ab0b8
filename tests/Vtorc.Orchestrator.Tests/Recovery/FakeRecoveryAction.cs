using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>A recovery function that only records that it ran (for pipeline tests about when recoveries run at all).</summary>
internal sealed class FakeRecoveryAction(RecoveryFunction function, string? promotes = null) : IRecoveryAction
{
    private int _runs;

    public RecoveryFunction Function { get; } = function;

    public bool Acts => true;

    public int Runs => Volatile.Read(ref _runs);

    public Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        context.AddStep($"fake {Function} ran");
        return Task.FromResult(new RecoveryActionResult(promotes));
    }
}
