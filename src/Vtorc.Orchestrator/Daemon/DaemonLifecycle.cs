namespace Vtorc.Orchestrator.Daemon;

/// <summary>Where the daemon is in its life, for those who report it (the health check, the status page).</summary>
internal sealed class DaemonLifecycle
{
    private volatile bool _shutdownRequested;

    /// <summary>When the daemon started (set once, before discovery starts).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Shutdown has been asked for (it may still be waiting for recoveries, or be done).</summary>
    public bool ShutdownRequested => _shutdownRequested;

    public void RequestShutdown() => _shutdownRequested = true;
}
