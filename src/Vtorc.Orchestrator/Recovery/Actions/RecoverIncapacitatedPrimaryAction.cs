using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.Operations;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// IncapacitatedPrimary (RecoverIncapacitatedPrimary in go/vt/vtorc/logic/topology_recovery.go, Vitess v24): the
/// primary failed most of its recent polls. If it still answers a TabletManager Ping, a planned reparent moves the
/// primary away from it (the graceful path: it is demoted before anyone is promoted); if that fails, an emergency
/// reparent follows when the ERS switches allow it. A primary that does not answer Ping is left to the DeadPrimary
/// analyses, and no recovery is registered.
/// </summary>
internal sealed class RecoverIncapacitatedPrimaryAction : IRecoveryAction, IRecoveryPrecondition
{
    /// <summary>The Ping deadline (Vitess uses the same fixed 2 s).</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    private readonly PlannedReparentShard _prs;
    private readonly ITabletManagerClient _tablets;
    private readonly RecoverDeadPrimaryAction _ers;

    public RecoverIncapacitatedPrimaryAction(PlannedReparentShard prs, EmergencyReparentShard ers, ITabletManagerClient tablets)
    {
        ArgumentNullException.ThrowIfNull(prs);
        ArgumentNullException.ThrowIfNull(ers);
        ArgumentNullException.ThrowIfNull(tablets);
        _prs = prs;
        _tablets = tablets;
        _ers = new RecoverDeadPrimaryAction(ers);
    }

    public RecoveryFunction Function => RecoveryFunction.RecoverIncapacitatedPrimary;

    public bool Acts => true;

    public async Task<string?> RefusalAsync(DetectionAnalysis analysis, ShardSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(snapshot);
        var primary = snapshot.Tablets.FirstOrDefault(t => t.Alias == analysis.AnalyzedInstanceAlias);
        if (primary is null)
        {
            return $"primary {analysis.AnalyzedInstanceAlias} is no longer in shard {analysis.AnalyzedKeyspace}/{analysis.AnalyzedShard}";
        }
        if (string.IsNullOrEmpty(primary.Tablet.Hostname) || !primary.Tablet.PortMap.TryGetValue(TabletAddress.GrpcPortName, out int port) || port == 0)
        {
            return $"primary {primary.Alias} has no hostname or gRPC port to Ping; left to the DeadPrimary analyses";
        }
        try
        {
            await _tablets.PingAsync(primary.Tablet, "vtorc", cancellationToken, PingTimeout).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"primary {primary.Alias} does not answer Ping within {PingTimeout.TotalSeconds:0} s ({e.Message}); left to the DeadPrimary analyses";
        }
    }

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var primary = context.Analysis.AnalyzedInstanceAlias;
        context.AddStep($"starting PlannedReparentShard away from incapacitated primary {primary}");
        try
        {
            return await PlannedReparentStep.RunAsync(_prs, context, primary, Function.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (!RecoveryDecision.IsEmergencyReparentAllowed(context.Analysis, context.Settings))
            {
                context.AddStep($"PlannedReparentShard failed ({e.Message}); not falling back to EmergencyReparentShard: "
                    + RecoveryDecision.DescribeEmergencyReparentSwitch(context.Analysis, context.Settings));
                throw;
            }
            context.AddStep($"PlannedReparentShard failed ({e.Message}); falling back to EmergencyReparentShard");
            return await _ers.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
    }
}
