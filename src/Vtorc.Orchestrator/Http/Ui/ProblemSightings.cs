using System.Collections.Concurrent;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// When the operator page first saw each current problem, so it can say for how long a problem has lasted. The
/// change feed looks at the fleet every second while a page is open, and every overview looks too; a problem that
/// came and went while nobody looked is not remembered. Thread-safe.
/// </summary>
internal sealed class ProblemSightings
{
    private readonly ConcurrentDictionary<(string Alias, string Analysis), DateTimeOffset> _first = new();

    /// <summary>When (<paramref name="alias"/>, <paramref name="analysis"/>) was first seen; now if it is new.</summary>
    public DateTimeOffset Since(string alias, string analysis, DateTimeOffset now) => _first.GetOrAdd((alias, analysis), now);

    /// <summary>Forgets every problem not in <paramref name="current"/> (the whole fleet's current problems).</summary>
    public void KeepOnly(IReadOnlySet<(string Alias, string Analysis)> current)
    {
        foreach (var key in _first.Keys)
        {
            if (!current.Contains(key))
            {
                _first.TryRemove(key, out _);
            }
        }
    }
}
