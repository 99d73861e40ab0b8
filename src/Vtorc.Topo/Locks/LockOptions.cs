namespace Vtorc.Topo;

/// <summary>Per-lock overrides of <see cref="TopoServerOptions.LockTtl"/> and <see cref="TopoServerOptions.LockTimeout"/>.</summary>
public sealed record LockOptions
{
    /// <summary>Lease TTL, whole seconds (etcd may raise it to its minimum).</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Time allowed for the whole acquisition, waiting in the queue included.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The time written into the lock entry; now (local time) when null.</summary>
    public DateTimeOffset? Time { get; init; }
}
