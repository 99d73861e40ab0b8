using Topodata;

namespace Vtorc.Orchestrator.Analysis;

/// <summary>
/// One observer's part in <see cref="PrimaryQuorum.Evaluate"/>: a REPLICA/RDONLY tablet (as it reports itself) whose last
/// poll carried a report about the primary.
/// </summary>
/// <param name="Alias">The observer, <c>cell-uid</c>.</param>
/// <param name="TabletType">Its self-reported type (FullStatus field 25).</param>
/// <param name="Fresh">Its report and its last Ping attempt are within the freshness: it votes.</param>
/// <param name="ConsecutiveFailures">Its failed Pings of the primary in a row.</param>
/// <param name="Vote"><see cref="Up"/>, <see cref="Down"/> or <see cref="Stale"/> (a report too old to vote).</param>
internal sealed record QuorumObserverVote(string Alias, TabletType TabletType, bool Fresh, long ConsecutiveFailures, string Vote)
{
    public const string Up = "up";
    public const string Down = "down";
    public const string Stale = "stale";
}
