using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
using Vtorc.Orchestrator.Store;
using Vtorc.Orchestrator.Tests.Recovery;
using static Vtorc.Orchestrator.Tests.Http.UiActionsHarness;

namespace Vtorc.Orchestrator.Tests.Http;

/// <summary>
/// An operator's reparent against a real daemon over an in-memory topology with scripted tablets: it is recorded with its
/// steps as it runs (not as a recovery), and the daemon's shutdown waits for it rather than cut it off half done.
/// </summary>
public sealed class OperatorReparentShutdownTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Shutdown_waits_for_a_running_operator_reparent_and_says_so()
    {
        var logger = new FakeLogger<OrchestratorDaemon>();
        // A wait far longer than the test: the shutdown must end because the reparent ended, not because the wait ran out.
        await using var h = await StartAsync(shutdownWaitTime: TimeSpan.FromMinutes(5), loggers: new OneLoggerFactory(logger));
        var demotion = new RpcGate();
        h.Tablets.On(Alias(100), "DemotePrimary", demotion.PassAsync);
        int order = 0;
        int reparentEnded = 0, shutdownEnded = 0;

        var reparent = Ended(h.Daemon.Actions.PlannedReparentAsync("ks", ShardA, Alias(101), "test"), () => reparentEnded = Interlocked.Increment(ref order));
        await demotion.Entered.WaitAsync(Deadline);
        var running = await h.Daemon.Store.OperatorReparents.ReadShardAsync("ks", ShardA, 10, Token());
        Assert.True(Assert.Single(running).IsActive);
        var shutdown = Ended(h.Daemon.ShutdownAsync("test"), () => shutdownEnded = Interlocked.Increment(ref order));

        await Poll.UntilAsync(() => Task.FromResult(shutdown.IsCompleted || logger.Has(LogLevel.Warning, "operator reparent(s) still running")), Deadline,
            "the shutdown waits for the reparent, or ended without waiting");
        var refused = await Assert.ThrowsAsync<ActionConflictException>(() => h.Daemon.Actions.PlannedReparentAsync("ks", ShardB, Alias(201), "test"));
        demotion.Release();
        await Task.WhenAll(shutdown, reparent).WaitAsync(Deadline);

        Assert.True(reparentEnded < shutdownEnded, $"the shutdown ended (#{shutdownEnded}) before the reparent it must wait for (#{reparentEnded})");
        Assert.True(logger.Has(LogLevel.Warning, "Shutdown: waiting up to 00:05:00 for 1 operator reparent(s) still running: " +
            "planned reparent of ks/-80 requested by test"), logger.ToString());
        Assert.True(logger.Has(LogLevel.Information, "Shutdown: every operator reparent ended"), logger.ToString());
        Assert.Contains("shutting down", refused.Message);
        Assert.False(logger.Has(LogLevel.Error, "cancelling them"), logger.ToString());
    }

    /// <summary>Runs <paramref name="then"/> when <paramref name="task"/> ends, however it ends.</summary>
    private static async Task Ended(Task task, Action then)
    {
        try
        {
            await task;
        }
        catch (ActionConflictException)
        {
            // The reparent's own outcome does not matter here; when it ended does.
        }
        finally
        {
            then();
        }
    }

    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => categoryName == typeof(OrchestratorDaemon).FullName ? logger : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
