using Vtorc.Orchestrator.Analysis;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Orchestrator.Recovery.Actions;

/// <summary>
/// PrimaryIsReadOnly, PrimarySemiSyncMustBeSet/MustNotBeSet, PrimaryCurrentTypeMismatch: UndoDemotePrimary makes the
/// tablet a writable, serving primary again, with primary semi-sync on exactly when the policy needs acks from it —
/// unless another tablet of the shard is writable (docs/reliability.md, "Fencing before promotion") or a replica holds
/// transactions of its stream it lacks (docs/reliability.md, "A restarted primary behind its replica").
/// </summary>
internal sealed class FixPrimaryAction : IRecoveryAction
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
        // Never a second writable server: another tablet seen writable at its last successful poll (e.g. a promotion
        // that failed half-way) must be made read-only first (ReplicaIsWritable) — this repair is tried again then.
        var writable = WritableTablets.Besides(context.Snapshot, tablet.Alias);
        if (writable.Count > 0)
        {
            throw new RecoveryException(
                $"not making {tablet.Alias} writable: {string.Join(", ", writable)} {(writable.Count == 1 ? "is" : "are")} writable too (read_only off at the last poll)");
        }
        // Never reuse sequence numbers a replica already holds (docs/reliability.md, "A restarted primary behind its
        // replica"): PrimaryBehindReplica reparents instead, or, while the replica cannot be reached, the primary waits.
        var ahead = PrimaryBehindReplicas.Find(context.Snapshot, tablet.Alias);
        if (ahead.Count > 0)
        {
            throw new RecoveryException(
                $"not making {tablet.Alias} writable: {ReplicaAheadOfPrimary.DescribeAll(ahead)} (an emergency reparent to the most advanced tablet repairs this "
                + "once the replica is reachable)");
        }
        bool semiSync = context.Durability.SemiSyncAckers(tablet.Info) > 0;
        await _tablets.UndoDemotePrimaryAsync(tablet.Tablet, semiSync, cancellationToken, context.Settings.RemoteOperationTimeout).ConfigureAwait(false);
        context.AddStep($"UndoDemotePrimary on {tablet.Alias} (semi-sync {(semiSync ? "on" : "off")})");
        return RecoveryActionResult.Done;
    }
}
