namespace Vtorc.Reparent.Decisions;

/// <summary>
/// ERS step 9 when a candidate could not apply its relay log (docs/vitess-compatibility.md): it is left out only if a
/// candidate that did apply its whole relay log had received at least as much from the same source. Otherwise it
/// may hold transactions no other candidate has, and promoting any of them could lose acknowledged writes.
/// </summary>
internal static class ErsRelayLogExclusion
{
    public const string MayBeMoreAdvancedMessage =
        "emergency reparent refused: a replica that could not apply its relay log may be more advanced than every other candidate";

    /// <returns>The excluded replicas as rejections, each naming the candidate that has at least what it received.</returns>
    /// <exception cref="ReparentDecisionException">An excluded replica may be the most advanced; the reasons name it.</exception>
    public static IReadOnlyList<CandidateRejection> Check(IReadOnlyList<ErsRelayLogReplica> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var applied = replicas.Where(r => !r.Excluded).ToArray();
        var leftOut = new List<CandidateRejection>();
        var blocking = new List<CandidateRejection>();
        foreach (var excluded in replicas.Where(r => r.Excluded))
        {
            var cover = excluded.Received.IsEmpty
                ? null
                : applied.FirstOrDefault(a => a.Source == excluded.Source && a.Received.Contains(excluded.Received));
            string received = excluded.Received.IsEmpty ? "an unknown position" : $"\"{excluded.Received}\"";
            string from = excluded.Source.Length > 0 ? $" from {excluded.Source}" : "";
            if (cover is null)
            {
                blocking.Add(new CandidateRejection(excluded.Alias,
                    $"{excluded.ExclusionReason}; it had received {received}{from}, which no candidate that applied its relay log is known to have"));
            }
            else
            {
                leftOut.Add(new CandidateRejection(excluded.Alias,
                    $"{excluded.ExclusionReason}; {cover.Alias} applied at least what it had received ({received}{from})"));
            }
        }
        if (blocking.Count > 0)
        {
            throw new ReparentDecisionException(MayBeMoreAdvancedMessage, blocking);
        }
        return leftOut;
    }
}
