namespace Vtorc.Reparent.Decisions;

/// <summary>
/// What a reparent learns about a candidate's server from its FullStatus: its version (null: unknown) and whether it
/// reports a stalled disk (docs/reliability.md, "A stalled disk"), which rules it out as the new primary.
/// </summary>
public sealed record CandidateServerStatus(ServerVersion? Version, bool DiskStalled)
{
    public static readonly CandidateServerStatus Unknown = new(null, false);
}
