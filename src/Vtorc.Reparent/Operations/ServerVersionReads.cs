using Vtorc.Reparent.Decisions;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// Reads candidates' server versions (and whether their disk is stalled) through FullStatus for the version-aware election
/// (docs/vitess-compatibility.md, "Reparents"). A version that cannot be read is unknown, never a reason to fail the
/// reparent: it only sorts the candidate after equally advanced ones with a known version, and that is logged.
/// </summary>
internal static class ServerVersionReads
{
    public static async Task<IReadOnlyDictionary<string, CandidateServerStatus>> ReadAsync(ITabletManagerClient tm, ShardState state,
        IEnumerable<string> aliases, TimeSpan timeout, ReparentEventLog events, CancellationToken ct)
    {
        var reads = aliases.Select(alias => ReadOneAsync(tm, state, alias, timeout, events, ct)).ToArray();
        var versions = await Task.WhenAll(reads).ConfigureAwait(false);
        return versions.ToDictionary(v => v.Alias, v => v.Server, StringComparer.Ordinal);
    }

    public static async Task<(string Alias, CandidateServerStatus Server)> ReadOneAsync(ITabletManagerClient tm, ShardState state, string alias,
        TimeSpan timeout, ReparentEventLog events, CancellationToken ct)
    {
        var tablet = state.ByAlias[alias];
        var outcome = await TabletOutcomes.CaptureAsync(alias, () => tm.FullStatusAsync(tablet, ct, timeout)).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Warning,
                $"{alias}'s server version is unknown (FullStatus failed: {outcome.ErrorText}); it is ordered after equally advanced candidates", alias);
            return (alias, CandidateServerStatus.Unknown);
        }
        var status = outcome.Value!;
        if (status.DiskStalled)
        {
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Warning,
                $"{alias} reports a stalled disk: it will not be promoted", alias);
            return (alias, new CandidateServerStatus(null, true));
        }
        var version = ServerVersion.FromFullStatus(status.Version, status.VersionComment);
        if (version is null)
        {
            events.Emit(ReparentPhase.CandidateSelection, ReparentEventKind.Warning,
                $"{alias}'s server version is unknown (FullStatus version \"{status.Version}\"); it is ordered after equally advanced candidates",
                alias);
        }
        return (alias, new CandidateServerStatus(version, false));
    }
}
