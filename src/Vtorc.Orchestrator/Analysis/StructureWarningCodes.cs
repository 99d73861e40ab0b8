namespace Vtorc.Orchestrator.Analysis;

/// <summary>Informational structure warnings (go/vt/vtorc/inst/analysis.go), reported in
/// <c>StructureAnalysis</c>.</summary>
internal static class StructureWarningCodes
{
    public const string NoLoggingReplicas = "NoLoggingReplicasStructureWarning";
    public const string NoFailoverSupport = "NoFailoverSupportStructureWarning";
    public const string StatementAndMixedLoggingReplicas = "StatementAndMixedLoggingReplicasStructureWarning";
    public const string StatementAndRowLoggingReplicas = "StatementAndRowLoggingReplicasStructureWarning";
    public const string MixedAndRowLoggingReplicas = "MixedAndRowLoggingReplicasStructureWarning";
    public const string MultipleMajorVersionsLoggingReplicas = "MultipleMajorVersionsLoggingReplicasStructureWarning";
    public const string DifferentGtidModes = "DifferentGTIDModesStructureWarning";
    public const string ErrantGtid = "ErrantGTIDStructureWarning";
    public const string NoWriteablePrimary = "NoWriteablePrimaryStructureWarning";
    public const string NotEnoughValidSemiSyncReplicas = "NotEnoughValidSemiSyncReplicasStructureWarning";
}
