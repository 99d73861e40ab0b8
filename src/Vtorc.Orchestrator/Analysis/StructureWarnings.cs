namespace Vtorc.Orchestrator.Analysis;

/// <summary>The informational structure warnings of go/vt/vtorc/inst/analysis_dao.go, in VTOrc's order.</summary>
internal static class StructureWarnings
{
    public static void Collect(TabletFacts f, List<string> warnings)
    {
        if (f.IsPrimary && f.CountLoggingReplicas == 0 && f.CountReplicas > 1)
        {
            warnings.Add(StructureWarningCodes.NoLoggingReplicas);
        }
        // No binlog servers exist in Vitess, so only GTID auto-positioning gives failover support.
        if (f.IsPrimary && f.CountReplicas > 1 && !f.OracleGtidImmediateTopology)
        {
            warnings.Add(StructureWarningCodes.NoFailoverSupport);
        }
        if (f.IsPrimary && f.CountStatementBasedLoggingReplicas > 0 && f.CountMixedBasedLoggingReplicas > 0)
        {
            warnings.Add(StructureWarningCodes.StatementAndMixedLoggingReplicas);
        }
        if (f.IsPrimary && f.CountStatementBasedLoggingReplicas > 0 && f.CountRowBasedLoggingReplicas > 0)
        {
            warnings.Add(StructureWarningCodes.StatementAndRowLoggingReplicas);
        }
        if (f.IsPrimary && f.CountMixedBasedLoggingReplicas > 0 && f.CountRowBasedLoggingReplicas > 0)
        {
            warnings.Add(StructureWarningCodes.MixedAndRowLoggingReplicas);
        }
        if (f.IsPrimary && f.CountDistinctMajorVersionsLoggingReplicas > 1)
        {
            warnings.Add(StructureWarningCodes.MultipleMajorVersionsLoggingReplicas);
        }
        string gtidMode = f.Instance?.GtidMode ?? "";
        if (f.CountReplicas > 0 && (gtidMode != (f.MinReplicaGtidMode ?? "") || gtidMode != (f.MaxReplicaGtidMode ?? "")))
        {
            warnings.Add(StructureWarningCodes.DifferentGtidModes);
        }
        if (!string.IsNullOrEmpty(f.MaxReplicaGtidErrant))
        {
            warnings.Add(StructureWarningCodes.ErrantGtid);
        }
        if (f.IsPrimary && f.IsReadOnly)
        {
            warnings.Add(StructureWarningCodes.NoWriteablePrimary);
        }
        if (f.IsPrimary && f.SemiSyncPrimaryEnabled && !f.SemiSyncPrimaryStatus && f.SemiSyncPrimaryWaitForReplicaCount > 0
            && f.SemiSyncPrimaryClients < f.SemiSyncPrimaryWaitForReplicaCount)
        {
            warnings.Add(StructureWarningCodes.NotEnoughValidSemiSyncReplicas);
        }
    }
}
