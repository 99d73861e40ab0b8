namespace Vtorc.Orchestrator.Store;

/// <summary>Rows removed by one retention pass; <see cref="Error"/> is set when the pass failed (and was logged).</summary>
public sealed record ExpiryResult(
    int Detections, int Recoveries, int RecoverySteps, int Acknowledgements, int AuditEntries, int ChangelogEntries,
    int OperatorReparents, string? Error = null)
{
    public static ExpiryResult Failed(string error) => new(0, 0, 0, 0, 0, 0, 0, error);
}
