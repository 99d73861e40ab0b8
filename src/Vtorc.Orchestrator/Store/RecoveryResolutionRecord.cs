namespace Vtorc.Orchestrator.Store;

/// <summary>
/// A recovery's resolution (<see cref="Recovery.RecoveryResolution"/>) as <c>resolveRecovery</c> writes it. VTOrc sets <see cref="IsSuccessful"/> and <see cref="SuccessorAlias"/> only
/// when a promoted tablet is known (go/vt/vtorc/logic/topology_recovery.go); the caller decides, the store just
/// records.
/// </summary>
public sealed record RecoveryResolutionRecord(bool IsSuccessful, string SuccessorAlias, IReadOnlyList<string> Errors)
{
    public static RecoveryResolutionRecord Unsuccessful(IReadOnlyList<string> errors) => new(false, "", errors);
}
