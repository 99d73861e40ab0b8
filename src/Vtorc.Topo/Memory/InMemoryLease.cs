using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// A lease of an <see cref="InMemoryTopoStore"/>, with the keys bound to it. State is guarded by the store's lock.
/// </summary>
internal sealed class InMemoryLease(long id, TimeSpan ttl, bool keptAlive)
{
    public long Id { get; } = id;

    public TimeSpan Ttl { get; } = ttl;

    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>A held lock's handle renews it continuously (as <see cref="LeaseKeeper"/> does): it does not expire.</summary>
    public bool KeptAlive { get; set; } = keptAlive;

    /// <summary>Its holder let it go: its end is not a loss.</summary>
    public bool Released { get; set; }

    /// <summary>When it expires unless renewed (meaningless while <see cref="KeptAlive"/>).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public ITimer? Expiry { get; set; }

    public TaskCompletionSource<LeaseLoss> LostSource { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenSource LostCancellation { get; } = new();
}
