namespace Vtorc.Reparent.Decisions;

/// <summary>
/// What ERS decided before repointing anyone (steps 10–13).
/// </summary>
/// <param name="IntermediateSource">The most advanced candidate (or the requested one if as advanced).</param>
/// <param name="PreferredPrimary">The tablet ERS would promote if every final candidate can be repointed.</param>
/// <param name="IsIntermediateSourceIdeal">PreferredPrimary is the intermediate source: promote it directly (step 16).
/// Otherwise repoint <see cref="TabletsToRepoint"/> to the source first, then call
/// <see cref="EmergencyReparentDecider.ChooseAfterRepointing"/>.</param>
/// <param name="Ranking">The candidates that survived errant-GTID filtering, best first.</param>
/// <param name="FinalCandidates">The promotable candidates after step 12, best first.</param>
/// <param name="OnlyBackupRunningLeft">Every final candidate is running a backup (used as a last resort).</param>
/// <param name="Rejected">A reason for every reached tablet that cannot become primary.</param>
/// <param name="PassedOver">A reason for every other final candidate: why <paramref name="PreferredPrimary"/> was preferred to it.</param>
public sealed record ErsCandidateDecision(
    string IntermediateSource,
    string PreferredPrimary,
    bool IsIntermediateSourceIdeal,
    bool IsGtidBased,
    IReadOnlyList<RankedCandidate> Ranking,
    IReadOnlyList<RankedCandidate> FinalCandidates,
    bool OnlyBackupRunningLeft,
    IReadOnlyList<CandidateRejection> Rejected,
    IReadOnlyList<CandidateRejection> PassedOver)
{
    /// <summary>The final candidates other than the intermediate source: the tablets to repoint when not ideal.</summary>
    public IReadOnlyList<string> TabletsToRepoint =>
        IsIntermediateSourceIdeal ? [] : FinalCandidates.Where(c => c.Alias != IntermediateSource).Select(c => c.Alias).ToArray();
}
