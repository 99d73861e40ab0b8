using System.Collections.Concurrent;
using System.Diagnostics;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// The failovers of the shards whose primary the run killed, as the simulated tablets see them: from the kill to the
/// moment a new primary was promoted (PromoteReplica or InitPrimary answered) and every surviving replica of the shard
/// had been told to replicate from it (SetReplicationSource answered). Also counts promotions per shard, which must
/// be one however many orchestrators watch the fleet.
/// </summary>
internal sealed class FailoverTracker
{
    private readonly ConcurrentDictionary<int, ShardFailover> _shards = new();

    public void Killed(int shard, SimulatedTablet[] tablets, SimulatedTablet primary) =>
        _shards[shard] = new ShardFailover(tablets, primary, Stopwatch.GetTimestamp());

    public void Promoted(SimulatedTablet tablet)
    {
        if (_shards.TryGetValue(tablet.Shard.Index, out var failover))
        {
            failover.Promoted(tablet);
        }
    }

    public void Repointed(SimulatedTablet tablet, SimulatedTablet parent)
    {
        if (_shards.TryGetValue(tablet.Shard.Index, out var failover))
        {
            failover.Repointed(tablet, parent);
        }
    }

    public ShardFailover? Of(int shard) => _shards.GetValueOrDefault(shard);

    public IReadOnlyCollection<ShardFailover> All => [.. _shards.Values];

    internal sealed class ShardFailover(SimulatedTablet[] tablets, SimulatedTablet killed, long killedAt)
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<SimulatedTablet, SimulatedTablet> _repointedTo = [];
        private SimulatedTablet? _newPrimary;
        private long _promotedAt;
        private int _promotions;
        private double? _doneMs;

        public SimulatedTablet Killed => killed;

        public int Promotions
        {
            get
            {
                lock (_lock)
                {
                    return _promotions;
                }
            }
        }

        /// <summary>Kill → new primary with every survivor repointed to it, in ms; null while not done.</summary>
        public double? DoneMs
        {
            get
            {
                lock (_lock)
                {
                    return _doneMs;
                }
            }
        }

        public string? NewPrimary
        {
            get
            {
                lock (_lock)
                {
                    return _newPrimary?.AliasText;
                }
            }
        }

        public void Promoted(SimulatedTablet tablet)
        {
            lock (_lock)
            {
                _promotions++;
                _newPrimary = tablet;
                _promotedAt = Stopwatch.GetTimestamp();
                _doneMs = null;
                CheckDoneLocked(_promotedAt);
            }
        }

        public void Repointed(SimulatedTablet tablet, SimulatedTablet parent)
        {
            lock (_lock)
            {
                _repointedTo[tablet] = parent;
                CheckDoneLocked(Stopwatch.GetTimestamp());
            }
        }

        private void CheckDoneLocked(long now)
        {
            if (_doneMs is not null || _newPrimary is not { } primary)
            {
                return;
            }
            foreach (var t in tablets)
            {
                if (t == primary || t == killed || t.Dead)
                {
                    continue;
                }
                if (!_repointedTo.TryGetValue(t, out var parent) || parent != primary)
                {
                    return;
                }
            }
            _doneMs = (now - killedAt) * 1000.0 / Stopwatch.Frequency;
        }
    }
}
