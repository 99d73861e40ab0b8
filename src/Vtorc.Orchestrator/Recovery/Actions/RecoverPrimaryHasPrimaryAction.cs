using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>PrimaryHasPrimary: the shard's primary replicates from something; stop that and forget the source.</summary>
internal sealed class RecoverPrimaryHasPrimaryAction : IRecoveryAction
{
    private readonly ITabletManagerClient _tablets;

    public RecoverPrimaryHasPrimaryAction(ITabletManagerClient tablets)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        _tablets = tablets;
    }

    public RecoveryFunction Function => RecoveryFunction.RecoverPrimaryHasPrimary;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tablet = context.AnalyzedTablet;
        await _tablets.ResetReplicationParametersAsync(tablet.Tablet, cancellationToken, context.Settings.RemoteOperationTimeout).ConfigureAwait(false);
        context.AddStep($"reset replication parameters on {tablet.Alias}");
        return RecoveryActionResult.Done;
    }
}
