using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>A tablet ERS may use as intermediate source or new primary, with the position it is compared by.</summary>
public sealed record ErsCandidate(TabletInfo Tablet, CandidatePosition Position, bool WasPrimary, ServerUuid? SourceUuid, bool BackupRunning)
{
    public string Alias => Tablet.Alias;

    /// <summary>See <see cref="ErsTabletStatus.BinlogState"/>.</summary>
    public MariaDbBinlogState? BinlogState { get; init; }

    /// <summary>See <see cref="ErsTabletStatus.SourceServerId"/>.</summary>
    public uint SourceServerId { get; init; }
}
