using System.Collections.Concurrent;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>Counts what the pipeline reports, keyed like the exported stats ("SkippedRecoveries FixReplica ks 0 StaleAnalysis").</summary>
internal sealed class FakeRecoveryMetrics : IRecoveryMetrics
{
    private readonly ConcurrentDictionary<string, int> _counters = new(StringComparer.Ordinal);
    private int _pending;
    private int _locks;

    public int PendingRecoveries => Volatile.Read(ref _pending);

    public int ShardLocksActive => Volatile.Read(ref _locks);

    public IReadOnlyCollection<DetectedProblemLabels> DetectedProblems { get; private set; } = [];

    public int Count(string key) => _counters.TryGetValue(key, out var n) ? n : 0;

    public IReadOnlyList<string> Keys => _counters.Keys.Order(StringComparer.Ordinal).ToArray();

    public void AddPendingRecoveries(int delta) => Interlocked.Add(ref _pending, delta);

    public void AddShardLocksActive(int delta) => Interlocked.Add(ref _locks, delta);

    public void ObserveShardLockTiming(string action, TimeSpan duration) => Add($"ShardLockTimings {action}");

    public void CountRecovery(RecoveryMetricLabels labels) => Add($"RecoveriesCount {Text(labels)}");

    public void CountSuccessfulRecovery(RecoveryMetricLabels labels) => Add($"SuccessfulRecoveries {Text(labels)}");

    public void CountFailedRecovery(RecoveryMetricLabels labels) => Add($"FailedRecoveries {Text(labels)}");

    public void CountSkippedRecovery(RecoveryMetricLabels labels, RecoverySkipReason reason) => Add($"SkippedRecoveries {Text(labels)} {reason}");

    public void SetDetectedProblems(IReadOnlyCollection<DetectedProblemLabels> current) => DetectedProblems = current;

    private static string Text(RecoveryMetricLabels l) => $"{l.RecoveryType} {l.Keyspace} {l.Shard}";

    private void Add(string key) => _counters.AddOrUpdate(key, 1, (_, n) => n + 1);
}
