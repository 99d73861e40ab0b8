using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vtorc.Orchestrator.Discovery;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>A <see cref="TopologyWatcher"/> over a <see cref="DiscoveryHarness"/>, run as the daemon runs it; disposing
/// it stops the watches.</summary>
internal sealed class RunningWatcher(TopologyWatcher watcher, CancellationTokenSource stop, Task run) : IAsyncDisposable
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public TopologyWatcher Watcher => watcher;

    /// <summary>Settings with the periodic refresh an hour away (and never ticking: the harness's clock is fake), so every
    /// change seen after the first refresh came through the watch.</summary>
    public static DiscoverySettings HourlyRefresh() => new()
    {
        InstancePollTime = TimeSpan.FromSeconds(5),
        DiscoveryWorkers = 4,
        TopoInformationRefreshDuration = TimeSpan.FromHours(1),
    };

    public static TopologyWatcher NewWatcher(DiscoveryHarness h, ILogger<TopologyWatcher>? logger = null, TopologyWatchSettings? settings = null) =>
        new(h.Topo, h.Refresher, settings ?? new TopologyWatchSettings(), h.Settings, logger ?? NullLogger<TopologyWatcher>.Instance);

    /// <summary>As the daemon: note the revisions, run the first full refresh, then run the watches.</summary>
    public static async Task<RunningWatcher> StartAsync(DiscoveryHarness h, ILogger<TopologyWatcher>? logger = null,
        TopologyWatchSettings? settings = null)
    {
        var watcher = NewWatcher(h, logger, settings);
        await watcher.PrepareAsync(Deadline());
        Assert.True(await h.Refresher.RefreshAllAsync(Deadline()));
        return Run(watcher);
    }

    public static RunningWatcher Run(TopologyWatcher watcher)
    {
        var stop = new CancellationTokenSource();
        return new RunningWatcher(watcher, stop, Task.Run(() => watcher.RunAsync(stop.Token)));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        // Shutdown ends every stream: the run returns once cancelled, without an error.
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Dispose();
    }
}
