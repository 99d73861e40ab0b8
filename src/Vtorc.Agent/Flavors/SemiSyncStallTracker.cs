namespace Vtorc.Agent.Flavors;

/// <summary>
/// Decides FullStatus.semi_sync_blocked from successive samples. A commit waiting for an acknowledgement is normal
/// on a busy semi-sync primary (it lasts a network round trip), so "a session waits now" must not reach VTOrc, which
/// answers PrimarySemiSyncBlocked with an emergency reparent. Like Vitess's semi-sync monitor, the primary counts as
/// blocked only when commits keep waiting and no acknowledgement arrives: sessions wait, and the acknowledged
/// transaction count has not moved for <see cref="Threshold"/>. Pure: the caller passes the time. Thread-safe.
/// </summary>
internal sealed class SemiSyncStallTracker(TimeSpan threshold)
{
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private (ulong Acked, DateTimeOffset Since)? _waitingWithoutProgress;

    public TimeSpan Threshold { get; } = threshold > TimeSpan.Zero
        ? threshold
        : throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the semi-sync stall threshold must be positive");

    /// <summary>Feeds one sample; returns whether the primary is blocked on semi-sync acknowledgements.</summary>
    public bool Observe(SemiSyncState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            if (!state.PrimaryEnabled || state.PrimaryWaitSessions == 0)
            {
                _waitingWithoutProgress = null;
                return false;
            }
            if (_waitingWithoutProgress is not { } since || since.Acked != state.PrimaryAckedTransactions)
            {
                _waitingWithoutProgress = (state.PrimaryAckedTransactions, now);
                return false;
            }
            return now - since.Since >= Threshold;
        }
    }
}
