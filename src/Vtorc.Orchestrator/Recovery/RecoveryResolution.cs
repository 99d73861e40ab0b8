namespace Vtorc.Orchestrator.Recovery;

/// <summary>
/// The end of a recovery (<c>topology_recovery</c> update). Unlike VTOrc, whose table only marks ERS/PRS recoveries
/// successful, <see cref="IsSuccessful"/> is true for every recovery that ended without error.
/// </summary>
/// <param name="SuccessorAlias">The promoted tablet of an ERS/PRS recovery; null otherwise.</param>
public sealed record RecoveryResolution(long RecoveryId, DateTimeOffset EndedAt, bool IsSuccessful, string? SuccessorAlias,
    IReadOnlyList<string> Errors);
