namespace Vtorc.Orchestrator.Store;

/// <summary>
/// What <c>resolveRecovery</c> writes. VTOrc sets <see cref="IsSuccessful"/> and <see cref="SuccessorAlias"/> only
/// when a promoted tablet is known (go/vt/vtorc/logic/topology_recovery.go); the caller decides, the store just
/// records.
/// </summary>
public sealed record RecoveryResult(bool IsSuccessful, string SuccessorAlias, IReadOnlyList<string> Errors)
{
    public static RecoveryResult Unsuccessful(IReadOnlyList<string> errors) => new(false, "", errors);
}
