using Vtorc.Benchmarks.Chaos;
using Vtorc.LocalCluster;

namespace Vtorc.Benchmarks.Detection;

/// <summary>
/// A semi_sync <see cref="ChaosCluster"/> of three tablets whose first primary the orchestrator elected, with the
/// checker's schema and an unprivileged application writing to whichever server accepts (the primary) throughout.
/// <see cref="ResetAsync"/> undoes a fault and waits for a healthy shard again; disposal removes everything.
/// </summary>
internal sealed class DetectionShard : IAsyncDisposable
{
    private const int Tablets = 3;
    private static readonly TimeSpan ElectionBound = TimeSpan.FromSeconds(120);

    // A write waiting on semi-sync acknowledgements blocks; the application gives up after this and tries elsewhere.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(2);

    // A steady trickle of writes, not a flood: 2 cores are shared with the cluster.
    private static readonly TimeSpan WritePause = TimeSpan.FromMilliseconds(20);

    private readonly LedgerWriter _writer;

    private DetectionShard(ChaosCluster cluster, ChaosServer primary)
    {
        Cluster = cluster;
        Primary = primary;
        _writer = new LedgerWriter([.. cluster.Servers.Select(s => new CheckedServer(s.Alias, s.App(WriteTimeout)))], "chaos.ledger", "server",
            new LedgerWriterOptions { AttemptDeadline = WriteTimeout * 2, PauseAfterAcknowledgement = WritePause, PauseAfterFailure = WritePause });
    }

    public ChaosCluster Cluster { get; }

    /// <summary>The primary of the healthy shard, as last seen by <see cref="StartAsync"/> or <see cref="ResetAsync"/>.</summary>
    public ChaosServer Primary { get; private set; }

    /// <summary>The application's acknowledged inserts so far.</summary>
    public int WritesAcknowledged => _writer.AcknowledgedCount;

    /// <summary>The application's inserts that were refused, failed or timed out.</summary>
    public int WritesFailed => _writer.Failures;

    public static async Task<DetectionShard> StartAsync(ChaosNames names, ChaosDaemonSettings daemons, Action<string> progress, CancellationToken cancellationToken)
    {
        var cluster = await ChaosCluster.StartAsync(names, "semi_sync", Tablets, progress, cancellationToken, daemons).ConfigureAwait(false);
        try
        {
            var primary = await cluster.WaitHealthyAsync(ElectionBound, cancellationToken).ConfigureAwait(false)
                ?? throw new TimeoutException($"the orchestrator elected no healthy primary within {ElectionBound.TotalSeconds:0} s (logs in {cluster.State.Directory})");
            await ChaosCluster.BootstrapAsync(primary, cancellationToken).ConfigureAwait(false);
            await ChaosRun.WaitReplicatedAsync(cluster, cancellationToken).ConfigureAwait(false);
            var shard = new DetectionShard(cluster, primary);
            shard._writer.Start();
            return shard;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Clears every nft rule, starts every stopped process again and waits for a healthy shard (the orchestrator
    /// fences and re-points the former primary). False when the shard is not healthy within <paramref name="bound"/>.
    /// </summary>
    public async Task<bool> ResetAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        await new FaultInjector(Cluster, Random.Shared).HealAllAsync(cancellationToken).ConfigureAwait(false);
        if (await Cluster.WaitHealthyAsync(bound, cancellationToken).ConfigureAwait(false) is not { } primary)
        {
            return false;
        }
        Primary = primary;
        return true;
    }

    /// <summary>Copies the logs of every process (orchestrator, agents, etcd, mysqld) out of the cluster's directory; returns where.</summary>
    public string KeepLogs(ChaosNames names, int run) => ChaosLogs.Keep(Cluster.State.Directory, names, run);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await Cluster.DisposeAsync().ConfigureAwait(false);
    }
}
