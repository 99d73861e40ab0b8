namespace Vtorc.Reparent.Decisions;

/// <summary>
/// ERS step 15b: the tablet to promote. When <see cref="NeedsCatchUp"/>, it must first reach the intermediate
/// source's primary position (WaitForPosition within WaitReplicasTimeout).
/// </summary>
public sealed record ErsFinalChoice(string NewPrimary, string IntermediateSource, IReadOnlyList<CandidateRejection> Rejected)
{
    public bool NeedsCatchUp => NewPrimary != IntermediateSource;
}
