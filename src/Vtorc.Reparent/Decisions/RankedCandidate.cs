using Vtorc.Replication;
using Vtorc.Reparent.Durability;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// One candidate as the reparent sort sees it. <see cref="BufferPoolDataPages"/> (InnoDB
/// <c>Innodb_buffer_pool_pages_data</c>, PRS only) is used only when every candidate has it.
/// </summary>
public sealed record RankedCandidate(TabletInfo Tablet, CandidatePosition Position, PromotionRule Rule, long? BufferPoolDataPages = null)
{
    public string Alias => Tablet.Alias;

    /// <summary>The server version FullStatus reported; null when unknown (sorts after known versions at equal position and rule).</summary>
    public ServerVersion? Version { get; init; }

    /// <summary>Its FullStatus reported a stalled disk: it may be the intermediate source, never the new primary.</summary>
    public bool DiskStalled { get; init; }
}
