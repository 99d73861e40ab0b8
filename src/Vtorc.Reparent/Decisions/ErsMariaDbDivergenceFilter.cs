using Vtorc.Replication;

namespace Vtorc.Reparent.Decisions;

/// <summary>
/// Our ERS step for MariaDB, next to the errant-GTID filter Vitess runs on MySQL GTID sets (Vitess
/// go/vt/vtctl/reparentutil/emergency_reparenter.go; docs/vitess-compatibility.md): a candidate whose binlog state holds GTIDs no other candidate has, other
/// than its dead source's, took writes of its own (an old primary written to after it was replaced). Its position may
/// still be the highest in the domain, so without this step it would be promoted and the other replicas' history —
/// rows acknowledged by the lost primary — would be thrown away (they break with error 1236, "diverged").
/// </summary>
/// <remarks>
/// The writes of every server some candidate replicated from are discounted: a replica whose IO thread has not
/// reconnected since a restart reports no source, yet the dead primary's newest writes it alone holds are legitimate.
/// Candidates without a binlog state (real vttablets, MySQL) are kept unchecked and not used as witnesses. If every
/// checked candidate diverged, none is promoted: ERS fails with the reasons rather than pick a history.
/// </remarks>
internal static class ErsMariaDbDivergenceFilter
{
    public static ErsErrantGtidResult Filter(IReadOnlyList<ErsCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var kept = new List<ErsCandidate>(candidates.Count);
        var rejected = new List<CandidateRejection>();
        var sources = candidates.Where(c => c.SourceServerId != 0).Select(c => c.SourceServerId).ToHashSet();
        foreach (var candidate in candidates)
        {
            if (candidate.BinlogState is not { } state || candidate.WasPrimary)
            {
                kept.Add(candidate);
                continue;
            }
            var others = candidates.Where(c => c != candidate && c.BinlogState is not null).Select(c => c.BinlogState!).ToArray();
            var unique = MariaDbDivergence.NotPresentElsewhere(state, others, sources);
            if (unique.Count == 0)
            {
                kept.Add(candidate);
                continue;
            }
            rejected.Add(new CandidateRejection(candidate.Alias,
                $"diverged: its binlog state has GTIDs {string.Join(",", unique)} that no other candidate has (errant transactions; promoting it would discard the others' history)"));
        }
        return new ErsErrantGtidResult(kept, rejected);
    }
}
