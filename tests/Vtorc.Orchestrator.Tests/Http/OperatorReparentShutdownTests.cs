using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Daemon;
using Vtorc.Orchestrator.Http;
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

        var reparent = h.Daemon.Actions.PlannedReparentAsync("ks", ShardA, Alias(101), "test");
        await demotion.Entered.WaitAsync(Deadline);
        var running = await h.Daemon.Store.OperatorReparents.ReadShardAsync("ks", ShardA, 10, Token());
        Assert.True(Assert.Single(running).IsActive);
        var shutdown = h.Daemon.ShutdownAsync("test");

        await Poll.UntilAsync(() => Task.FromResult(shutdown.IsCompleted || logger.Has(LogLevel.Warning, "operator reparent(s) still running")), Deadline,
            "the shutdown waits for the reparent, or ended without waiting");
        Assert.False(shutdown.IsCompleted, "the shutdown ended while the reparent was held");
        var refused = await Assert.ThrowsAsync<ActionConflictException>(() => h.Daemon.Actions.PlannedReparentAsync("ks", ShardB, Alias(201), "test"));
        demotion.Release();
        await shutdown.WaitAsync(Deadline);
        await Ended(reparent).WaitAsync(Deadline);

        // The reparent ended, and was audited, while the store was still open: before the daemon stopped.
        var lines = logger.Lines.Select(l => l.Message).ToList();
        int audited = lines.FindIndex(l => l.StartsWith("auditType:planned-reparent alias:", StringComparison.Ordinal) && l.Contains("requested by test:"));
        int stopped = lines.IndexOf("VTOrc stopped");
        Assert.True(audited >= 0 && audited < stopped, logger.ToString());
        Assert.False(logger.Has(LogLevel.Error, "after the store closed"), logger.ToString());
        Assert.True(logger.Has(LogLevel.Warning, "Shutdown: waiting up to 00:05:00 for 1 operator reparent(s) still running: " +
            "planned reparent of ks/-80 requested by test"), logger.ToString());
        Assert.True(logger.Has(LogLevel.Information, "Shutdown: every operator reparent ended"), logger.ToString());
        Assert.Contains("shutting down", refused.Message);
        Assert.False(logger.Has(LogLevel.Error, "cancelling them"), logger.ToString());
    }

    [Fact]
    public async Task Shutdown_cancels_an_operator_reparent_after_the_shutdown_wait_and_waits_for_it_to_end()
    {
        var logger = new FakeLogger<OrchestratorDaemon>();
        await using var h = await StartAsync(shutdownWaitTime: TimeSpan.FromSeconds(1), loggers: new OneLoggerFactory(logger));
        // Never released: only the daemon's cancellation ends the call.
        var demotion = new RpcGate();
        h.Tablets.On(Alias(100), "DemotePrimary", demotion.PassAsync);
        var reparent = h.Daemon.Actions.PlannedReparentAsync("ks", ShardA, Alias(101), "test");
        await demotion.Entered.WaitAsync(Deadline);

        await h.Daemon.ShutdownAsync("test").WaitAsync(Deadline);

        // Logged, and audited, inside the daemon's wait: the reparent had ended when the shutdown returned.
        Assert.True(logger.Has(LogLevel.Warning, "planned reparent of ks/-80 requested by test failed: cancelled: the daemon shut down before it ended"),
            logger.ToString());
        Assert.True(logger.Has(LogLevel.Information, "auditType:planned-reparent"), logger.ToString());
        Assert.False(logger.Has(LogLevel.Error, "after the store closed"), logger.ToString());
        Assert.True(logger.Has(LogLevel.Error, "Shutdown: operator reparent(s) still running after 00:00:01; cancelling them, check their shards: " +
            "planned reparent of ks/-80 requested by test"), logger.ToString());
        var failed = await Assert.ThrowsAsync<ActionConflictException>(() => reparent.WaitAsync(Deadline));
        Assert.Contains("cancelled: the daemon shut down before it ended", failed.Message);
        Assert.False(demotion.Released);
    }

    /// <summary>Waits for <paramref name="task"/> however it ends: the reparent's own outcome does not matter here.</summary>
    private static async Task Ended(Task task)
    {
        try
        {
            await task;
        }
        catch (ActionConflictException)
        {
        }
    }

    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        // Every category: the audit's lines come from the store's.
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
