namespace Vtorc.Reparent.Decisions;

/// <summary>A tablet with the primary term start time from its topo record (null when unset).</summary>
internal sealed record PrsPrimaryTerm(TabletInfo Tablet, DateTimeOffset? TermStartTime);
