namespace Vtorc.Orchestrator.Recovery;

/// <summary>The lock description (the lock descriptor's <c>Action</c>) VTOrc writes into the shard lock entry, visible to
/// operators in the topo.</summary>
internal static class RecoveryLockDescription
{
    public static string For(string analysisCode, string tabletAlias) => $"VTOrc Recovery for {analysisCode} on {tabletAlias}";
}
