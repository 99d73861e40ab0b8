using Vtorc.Orchestrator.Analysis;
using Vtorc.Orchestrator.Recovery;

namespace Vtorc.Orchestrator.Tests.Recovery;

/// <summary>In-memory recovery history with the store's rules: one active recovery per shard, acknowledgements.</summary>
internal sealed class FakeRecoveryHistory : IRecoveryHistory
{
    private readonly Lock _gate = new();
    private readonly List<(long Id, DetectionAnalysis Analysis)> _detections = [];
    private readonly List<StoredRecovery> _recoveries = [];
    private readonly List<SkippedRecovery> _skipped = [];

    public sealed class StoredRecovery(long id, RecoveryRegistration registration)
    {
        public long Id { get; } = id;

        public RecoveryRegistration Registration { get; } = registration;

        public List<string> Steps { get; } = [];

        public RecoveryResolution? Resolution { get; set; }

        public bool Acknowledged { get; set; }
    }

    public bool GlobalRecoveryDisabled { get; set; }

    /// <summary>The keyspace and shard switches an operator turned off (the global one is <see cref="GlobalRecoveryDisabled"/>).</summary>
    public List<RecoveryDisable> ScopeDisables { get; } = [];

    public IReadOnlyList<DetectionAnalysis> Detections
    {
        get
        {
            lock (_gate)
            {
                return _detections.Select(d => d.Analysis).ToArray();
            }
        }
    }

    public IReadOnlyList<StoredRecovery> Recoveries
    {
        get
        {
            lock (_gate)
            {
                return _recoveries.ToArray();
            }
        }
    }

    public IReadOnlyList<SkippedRecovery> Skipped
    {
        get
        {
            lock (_gate)
            {
                return _skipped.ToArray();
            }
        }
    }

    /// <summary>Adds an already ended recovery, as an earlier tick would have left it.</summary>
    public long AddCompletedRecovery(DetectionAnalysis analysis, string name, bool shardWide, DateTimeOffset started, DateTimeOffset ended)
    {
        lock (_gate)
        {
            var stored = new StoredRecovery(_recoveries.Count + 1, new RecoveryRegistration(analysis, 0, name, shardWide, started))
            {
                Resolution = new RecoveryResolution(_recoveries.Count + 1, ended, true, null, []),
            };
            _recoveries.Add(stored);
            return stored.Id;
        }
    }

    public void Acknowledge(long recoveryId)
    {
        lock (_gate)
        {
            _recoveries.Single(r => r.Id == recoveryId).Acknowledged = true;
        }
    }

    public Task<long> RecordDetectionAsync(DetectionAnalysis analysis, DateTimeOffset detectedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _detections.Add((_detections.Count + 1, analysis));
            return Task.FromResult((long)_detections.Count);
        }
    }

    public Task<long?> TryRegisterRecoveryAsync(RecoveryRegistration registration, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_recoveries.Any(r => r.Resolution is null && r.Registration.Keyspace == registration.Keyspace && r.Registration.Shard == registration.Shard))
            {
                return Task.FromResult<long?>(null);
            }
            var stored = new StoredRecovery(_recoveries.Count + 1, registration);
            _recoveries.Add(stored);
            return Task.FromResult<long?>(stored.Id);
        }
    }

    public Task AddRecoveryStepAsync(long recoveryId, DateTimeOffset at, string message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _recoveries.Single(r => r.Id == recoveryId).Steps.Add(message);
        }
        return Task.CompletedTask;
    }

    public Task ResolveRecoveryAsync(RecoveryResolution resolution, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _recoveries.Single(r => r.Id == resolution.RecoveryId).Resolution = resolution;
        }
        return Task.CompletedTask;
    }

    public Task RecordSkippedRecoveryAsync(SkippedRecovery skipped, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _skipped.Add(skipped);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RecoveryDisable> disables = GlobalRecoveryDisabled
                ? [new RecoveryDisable(RecoveryScope.Global, "test", "", null), .. ScopeDisables]
                : [.. ScopeDisables];
            return Task.FromResult(disables);
        }
    }

    public Task<CompletedRecovery?> GetLastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var last = _recoveries
                .Where(r => r.Resolution is not null && r.Registration.IsShardWide && r.Registration.Keyspace == keyspace && r.Registration.Shard == shard)
                .OrderBy(r => r.Resolution!.EndedAt)
                .LastOrDefault();
            return Task.FromResult(last is null
                ? null
                : new CompletedRecovery(last.Id, last.Registration.TabletAlias, last.Registration.Analysis.Analysis, last.Resolution!.EndedAt,
                    last.Acknowledged));
        }
    }
}
