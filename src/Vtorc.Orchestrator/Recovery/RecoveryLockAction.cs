namespace Vtorc.Orchestrator.Recovery;

/// <summary>The lock description VTOrc writes into the shard lock entry, visible to operators in the topo.</summary>
internal static class RecoveryLockAction
{
    public static string For(string analysisCode, string tabletAlias) => $"VTOrc Recovery for {analysisCode} on {tabletAlias}";
}
