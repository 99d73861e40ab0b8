using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Recovery;

/// <summary>Which tablets of a shard were writable at their last successful poll (docs/reliability.md, "Fencing before
/// promotion"): a repair that makes a server writable must find none besides its own.</summary>
internal static class WritableTablets
{
    /// <summary>Aliases other than <paramref name="except"/> whose last poll succeeded and showed read_only off.</summary>
    public static IReadOnlyList<string> Besides(ShardSnapshot snapshot, string except)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Tablets
            .Where(t => t.Alias != except && snapshot.Observations.TryGetValue(t.Alias, out var o) && o.LastCheckSucceeded && !o.ReadOnly)
            .Select(t => t.Alias)
            .ToArray();
    }
}
