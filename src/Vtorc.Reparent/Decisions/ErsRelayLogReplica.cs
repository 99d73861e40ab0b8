using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// A replica after ERS's relay-log step: what it had received from <paramref name="Source"/> when its IO thread
/// stopped, and — when it could not apply that — why (<paramref name="ExclusionReason"/>; null when it applied all).
/// </summary>
/// <param name="Received">Relay-log GTID set (GTID-based), else the source's binary-log coordinate; empty when unknown.</param>
/// <param name="Source">The source's address for a binary-log coordinate (coordinates of different sources do not compare); empty for GTID sets.</param>
internal sealed record ErsRelayLogReplica(string Alias, ReplicationPosition Received, string Source, string? ExclusionReason = null)
{
    public bool Excluded => ExclusionReason is not null;
}
