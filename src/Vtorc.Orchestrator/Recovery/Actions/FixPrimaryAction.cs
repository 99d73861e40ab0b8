using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// PrimaryIsReadOnly, PrimarySemiSyncMustBeSet/MustNotBeSet, PrimaryCurrentTypeMismatch: UndoDemotePrimary makes the
/// tablet a writable, serving primary again, with primary semi-sync on exactly when the policy needs acks from it.
/// </summary>
public sealed class FixPrimaryAction : IRecoveryAction
{
    private readonly ITabletManagerClient _tablets;

    public FixPrimaryAction(ITabletManagerClient tablets)
    {
        ArgumentNullException.ThrowIfNull(tablets);
        _tablets = tablets;
    }

    public RecoveryFunction Function => RecoveryFunction.FixPrimary;

    public bool Acts => true;

    public async Task<RecoveryActionResult> RunAsync(RecoveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tablet = context.AnalyzedTablet;
        bool semiSync = context.Durability.SemiSyncAckers(tablet.Info) > 0;
        await _tablets.UndoDemotePrimaryAsync(tablet.Tablet, semiSync, cancellationToken, context.Settings.RemoteOperationTimeout).ConfigureAwait(false);
        context.AddStep($"UndoDemotePrimary on {tablet.Alias} (semi-sync {(semiSync ? "on" : "off")})");
        return RecoveryActionResult.Done;
    }
}
