using System.Collections.Concurrent;
using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>
/// Stands in for the pipeline in scheduler tests: logs "start code" / "end code" in order, and can hold an analysis
/// until the test releases it.
/// </summary>
internal sealed class FakeRecoveryExecutor : IRecoveryExecutor
{
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecoveryOutcome> _outcomes = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Log => _log.ToArray();

    /// <summary>Analyses of <paramref name="code"/> wait for <see cref="Release"/>.</summary>
    public void Hold(string code) => _gates[code] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string code) => _gates[code].TrySetResult();

    /// <summary>Analyses of <paramref name="code"/> end with <paramref name="outcome"/> (Succeeded unless set).</summary>
    public void Answer(string code, RecoveryOutcome outcome) => _outcomes[code] = outcome;

    public Task Started(string code) => _started.GetOrAdd(code, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task<RecoveryExecution> ExecuteAsync(DetectionAnalysis analysis, CancellationToken cancellationToken)
    {
        _log.Enqueue($"start {analysis.Analysis}");
        _started.GetOrAdd(analysis.Analysis, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (_gates.TryGetValue(analysis.Analysis, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        await Task.Yield();
        _log.Enqueue($"end {analysis.Analysis}");
        return new RecoveryExecution(_outcomes.GetValueOrDefault(analysis.Analysis, RecoveryOutcome.Succeeded), "fake", "done");
    }
}
