namespace Vtorc.Orchestrator.Analysis;

/// <summary>The outcome of <see cref="PrimaryQuorum.Evaluate"/>.</summary>
/// <param name="IsDown">The replicas agree that the primary is down.</param>
/// <param name="FreshObservers">Observers whose report still votes.</param>
/// <param name="DownVotes">Fresh observers at the failure threshold.</param>
/// <param name="EligibleObservers">Observers that reported about the primary within the retention, fresh or not.</param>
/// <param name="ExpectedObservers">REPLICA and RDONLY tablets of the shard in the topology.</param>
/// <param name="Reason">Why not down; empty when down.</param>
/// <param name="Observers">Every eligible observer's vote, stale ones included, by alias.</param>
internal sealed record QuorumVerdict(bool IsDown, int FreshObservers, int DownVotes, int EligibleObservers, int ExpectedObservers, string Reason,
    IReadOnlyList<QuorumObserverVote> Observers);
