using Replicationdata;
using Topodata;
using Vtorc.Orchestrator.Discovery;
using Vtorc.Topo;
using static Vtorc.Orchestrator.Tests.Discovery.DiscoveryHarness;

namespace Vtorc.Orchestrator.Tests.Discovery;

public sealed class InstancePollerTests
{
    [Fact]
    public async Task ASuccessfulPollCreatesAnObservationSeenWhenChecked()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(100, TabletType.Primary));

        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        var observation = h.State.TryGetObservation(alias);
        Assert.NotNull(observation);
        Assert.Equal(Start, observation.LastChecked);
        Assert.Equal(observation.LastChecked, observation.LastSeen);
        Assert.Equal(observation.LastChecked, observation.LastAttemptedCheck);
        Assert.Equal(100u, observation.ServerId);
        Assert.Equal("zone1", observation.Cell);
        Assert.Equal("db-100", observation.Hostname);
    }

    [Fact]
    public async Task TurningDiskStalledRecoveryOnWhileRunningAppliesFromTheNextPoll()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 106, type: TabletType.Primary));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        // vttablet answers a stalled disk with only disk_stalled set (go/vt/vttablet/tabletmanager/rpc_replication.go).
        h.Tablets.Returns(alias, "FullStatus", new FullStatus { DiskStalled = true });

        // Off (the default): VTOrc takes the answer as a successful poll.
        Assert.True(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        Assert.False(h.State.TryGetObservation(alias)!.IsDiskStalled);

        // Switched on while running (a dynamic setting): the next poll records a failed check with the disk stalled.
        h.Poller.Settings = h.Poller.Settings with { EnablePrimaryDiskStalledRecovery = true };
        h.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        var observation = h.State.TryGetObservation(alias)!;
        Assert.True(observation.IsDiskStalled);
        Assert.False(observation.LastCheckSucceeded);
        Assert.Contains("stalled disk", h.State.PollErrors[alias], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailureAfterASuccessKeepsLastSeenAndAdvancesLastChecked()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 101));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(101, TabletType.Replica, sourceUid: 100));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        h.Time.Advance(TimeSpan.FromSeconds(6));
        h.Tablets.Unreachable(alias);
        Assert.False(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        var observation = h.State.TryGetObservation(alias);
        Assert.NotNull(observation);
        Assert.Equal(Start, observation.LastSeen);
        Assert.Equal(Start.AddSeconds(6), observation.LastChecked);
        Assert.False(observation.LastCheckSucceeded);
        Assert.False(observation.LastCheckPartialSuccess);
        Assert.Equal("db-100", observation.SourceHost);
        Assert.Equal(2, h.Tablets.CallsTo("FullStatus", alias).Count);
        Assert.Equal((2, 1), (h.Metrics.Attempts, h.Metrics.Failures));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADiskStalledAnswerIsAFailedCheckMarkingTheDiskStalledOnlyWithTheRecoveryEnabled(bool enabled)
    {
        await using var h = Create(
            settings: new DiscoverySettings { InstancePollTime = TimeSpan.FromSeconds(5), DiscoveryWorkers = 4, EnablePrimaryDiskStalledRecovery = enabled });
        var alias = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(100, TabletType.Primary));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        h.Time.Advance(TimeSpan.FromSeconds(6));
        h.Tablets.Returns(alias, "FullStatus", new FullStatus { DiskStalled = true });
        Assert.Equal(!enabled, await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        var observation = h.State.TryGetObservation(alias);
        Assert.NotNull(observation);
        Assert.Equal(enabled, observation.IsDiskStalled);
        Assert.Equal(!enabled, observation.LastCheckSucceeded);
        if (enabled)
        {
            Assert.Equal(100u, observation.ServerId);
            Assert.Contains("stalled disk", h.State.PollErrors[alias], StringComparison.Ordinal);
        }

        h.Time.Advance(TimeSpan.FromSeconds(6));
        h.Tablets.Returns(alias, "FullStatus", Healthy(100, TabletType.Primary));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));
        Assert.False(h.State.TryGetObservation(alias)!.IsDiskStalled);
    }

    [Fact]
    public async Task EveryPollOfAPrimaryIsRecordedInItsHealthWindowAndThreeFailuresMakeItUnhealthy()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 110, type: TabletType.Primary));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(110, TabletType.Primary));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        Assert.Equal([new Vtorc.Orchestrator.Analysis.PrimaryHealthEvent(Start, true)], h.State.TryGetObservation(alias)!.PrimaryHealth.Events);

        h.Tablets.Unreachable(alias);
        for (int i = 1; i <= 3; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(5));
            Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
            Assert.Equal(i == 3, h.State.TryGetObservation(alias)!.PrimaryHealth.Unhealthy);
        }
        var window = h.State.TryGetObservation(alias)!.PrimaryHealth;
        Assert.Equal([true, false, false, false], window.Events.Select(e => e.Success));
    }

    [Fact]
    public async Task FailedProbesCutShorterThanThePollDeadlineAreNotRecordedInTheHealthWindow()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 112, type: TabletType.Primary));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(112, TabletType.Primary));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));

        h.Tablets.Unreachable(alias);
        for (int i = 1; i <= 4; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(5));
            await h.Poller.ProbeOnNewConnectionAsync(alias, TimeSpan.FromSeconds(2), Deadline());
            Assert.False(h.State.TryGetObservation(alias)!.LastCheckSucceeded, "the probe's failure is still a failed check");
        }
        var window = h.State.TryGetObservation(alias)!.PrimaryHealth;
        Assert.False(window.Unhealthy);
        Assert.Equal([true], window.Events.Select(e => e.Success));

        h.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        Assert.Equal([true, false], h.State.TryGetObservation(alias)!.PrimaryHealth.Events.Select(e => e.Success));
    }

    [Fact]
    public async Task PollsOfAReplicaAreNotRecordedInAHealthWindow()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 111));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(111, TabletType.Replica, sourceUid: 100));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        h.Time.Advance(TimeSpan.FromSeconds(5));
        h.Tablets.Unreachable(alias);
        Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        Assert.True(h.State.TryGetObservation(alias)!.PrimaryHealth.IsEmpty);
    }

    [Fact]
    public async Task AFailedPollKeepsItsErrorForTheOperatorUntilAPollSucceeds()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 105));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Unreachable(alias);
        Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        Assert.True(h.State.PollErrors.TryGetValue(alias, out var error));
        Assert.NotEqual("", error);

        h.Time.Advance(TimeSpan.FromSeconds(6));
        h.Tablets.Returns(alias, "FullStatus", Healthy(105, TabletType.Replica, sourceUid: 100));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));
        Assert.False(h.State.PollErrors.ContainsKey(alias));
    }

    [Fact]
    public async Task EveryPollRecordsItsTimingsAndOnlyAnsweredPollsCountAsTopologyReads()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 103));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(103, TabletType.Replica, sourceUid: 100));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        h.Time.Advance(TimeSpan.FromSeconds(6));
        h.Tablets.Unreachable(alias);
        Assert.False(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        Assert.Equal(1, h.Metrics.ReadTopology);
        Assert.Equal(["Backend", "Instance", "Other", "Backend", "Instance", "Other"], h.Metrics.InstanceTimingActions);
    }

    [Fact]
    public async Task ATabletNeverReachedHasNoObservation()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 102));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Unreachable(alias);

        Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));

        Assert.Single(h.Tablets.CallsTo("FullStatus", alias));
        Assert.Null(h.State.TryGetObservation(alias));
        Assert.Contains(alias, h.State.OutdatedAliases(h.Time.GetUtcNow(), h.Settings.InstancePollTime));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ADiscoveredTabletAwaitsItsFirstPollUntilAPollEndsWhateverItsOutcome(bool answers)
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 104));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        Assert.Equal(Start, h.State.AwaitingFirstPoll[alias]);
        if (answers)
        {
            h.Tablets.Returns(alias, "FullStatus", Healthy(104, TabletType.Replica, sourceUid: 100));
        }
        else
        {
            h.Tablets.Unreachable(alias);
        }

        Assert.Equal(answers, await h.Poller.DiscoverAsync(alias, force: true, Deadline()));

        Assert.False(h.State.AwaitingFirstPoll.ContainsKey(alias));
    }

    [Fact]
    public async Task AShutDownTabletIsNotPolled()
    {
        await using var h = Create();
        var tablet = NewTablet("zone1", 103);
        tablet.TabletShutdownTime = new Vttime.Time { Seconds = Start.ToUnixTimeSeconds() };
        var alias = await h.AddTabletAsync(tablet);
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(103, TabletType.Replica));

        Assert.False(await h.Poller.DiscoverAsync(alias, force: true, Deadline()));

        Assert.Empty(h.Tablets.Calls);
        Assert.Null(h.State.TryGetObservation(alias));
    }

    [Fact]
    public async Task AnUpToDatePollIsNotRepeatedWithinThePollInterval()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 104));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(104, TabletType.Replica));

        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));
        Assert.Single(h.Tablets.CallsTo("FullStatus", alias));
        Assert.DoesNotContain(alias, h.State.OutdatedAliases(h.Time.GetUtcNow(), h.Settings.InstancePollTime));

        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Contains(alias, h.State.OutdatedAliases(h.Time.GetUtcNow(), h.Settings.InstancePollTime));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));
        Assert.Equal(2, h.Tablets.CallsTo("FullStatus", alias).Count);
    }

    [Fact]
    public async Task AFailedPrimaryPollRepollsTheShardsReplicasAndAsksForAnAnalysis()
    {
        await using var h = Create();
        var primary = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        var replica1 = await h.AddTabletAsync(NewTablet("zone1", 101));
        var replica2 = await h.AddTabletAsync(NewTablet("zone2", 201));
        var elsewhere = await h.AddTabletAsync(NewTablet("zone1", 301, shard: "-80"));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(primary, "FullStatus", Healthy(100, TabletType.Primary));
        h.Tablets.Returns(replica1, "FullStatus", Healthy(101, TabletType.Replica, 100));
        h.Tablets.Returns(replica2, "FullStatus", Healthy(201, TabletType.Replica, 100));
        h.Tablets.Returns(elsewhere, "FullStatus", Healthy(301, TabletType.Replica));
        foreach (var alias in new[] { primary, replica1, replica2, elsewhere })
        {
            Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));
        }
        var beforeFailure = h.Tablets.Calls.Count;

        var raised = new List<(long Sequence, ShardNeedsAnalysisEventArgs Args)>();
        h.Poller.ShardNeedsAnalysis += (_, e) => raised.Add((h.Tablets.NextSequence(), e));
        h.Time.Advance(TimeSpan.FromSeconds(6));
        h.Tablets.Unreachable(primary);
        Assert.False(await h.Poller.DiscoverAsync(primary, force: false, Deadline()));

        var after = h.Tablets.Calls.Skip(beforeFailure).ToArray();
        var primaryCall = Assert.Single(after, c => c.Alias == primary);
        var replicaCalls = after.Where(c => c.Alias == replica1 || c.Alias == replica2).ToArray();
        Assert.Equal(2, replicaCalls.Length);
        Assert.All(replicaCalls, c => Assert.True(c.Sequence > primaryCall.Sequence, $"replica poll {c} came before the primary's {primaryCall}"));
        Assert.DoesNotContain(after, c => c.Alias == elsewhere);

        var (sequence, args) = Assert.Single(raised);
        Assert.Equal(("ks", "0"), (args.Keyspace, args.Shard));
        Assert.Contains(primary, args.Reason);
        Assert.All(replicaCalls, c => Assert.True(sequence > c.Sequence, "the analysis was asked for before the replicas were re-polled"));
        Assert.Equal(Start.AddSeconds(6), h.State.TryGetObservation(replica1)!.LastSeen);
        Assert.Equal(Start.AddSeconds(6), h.State.TryGetObservation(replica2)!.LastSeen);
    }

    [Fact]
    public async Task APrimaryThatKeepsFailingIsReactedToOnlyWhenItStopsAnswering()
    {
        await using var h = Create();
        var primary = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        var replica = await h.AddTabletAsync(NewTablet("zone1", 101));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(primary, "FullStatus", Healthy(100, TabletType.Primary));
        h.Tablets.Returns(replica, "FullStatus", Healthy(101, TabletType.Replica, 100));
        Assert.True(await h.Poller.DiscoverAsync(primary, force: false, Deadline()));
        var raised = 0;
        h.Poller.ShardNeedsAnalysis += (_, _) => raised++;
        h.Tablets.Unreachable(primary);

        h.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(await h.Poller.DiscoverAsync(primary, force: false, Deadline()));
        h.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(await h.Poller.DiscoverAsync(primary, force: false, Deadline()));

        Assert.Equal(1, raised);
        Assert.Single(h.Tablets.CallsTo("FullStatus", replica));
        Assert.Equal(3, h.Tablets.CallsTo("FullStatus", primary).Count);
    }

    [Fact]
    public async Task AFailedReplicaPollDoesNotAskForAnAnalysis()
    {
        await using var h = Create();
        var primary = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        var replica = await h.AddTabletAsync(NewTablet("zone1", 101));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(primary, "FullStatus", Healthy(100, TabletType.Primary));
        h.Tablets.Unreachable(replica);
        var raised = 0;
        h.Poller.ShardNeedsAnalysis += (_, _) => raised++;

        Assert.False(await h.Poller.DiscoverAsync(replica, force: false, Deadline()));

        Assert.Equal(0, raised);
        Assert.Empty(h.Tablets.CallsTo("FullStatus", primary));
    }

    [Fact]
    public async Task AHangingPollIsMarkedAsAttemptedByTheWatchdog()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 105));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(105, TabletType.Replica));
        Assert.True(await h.Poller.DiscoverAsync(alias, force: false, Deadline()));

        var release = new TaskCompletionSource<FullStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Tablets.HoldsUntil(alias, "FullStatus", release.Task);
        h.Tablets.CallReceived += _ => arrived.TrySetResult();
        h.Time.Advance(TimeSpan.FromSeconds(6));
        var polling = h.Poller.DiscoverAsync(alias, force: false, Deadline());
        await arrived.Task.WaitAsync(Deadline());

        h.Time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, h.Poller.MarkHangingPolls());
        h.Time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(1, h.Poller.MarkHangingPolls());
        Assert.Equal(0, h.Poller.MarkHangingPolls());
        var marked = h.State.TryGetObservation(alias)!;
        Assert.Equal(Start.AddSeconds(7), marked.LastAttemptedCheck);
        Assert.Equal(Start, marked.LastSeen);
        Assert.False(marked.IsLastCheckValid(pollSeconds: 0));

        release.SetException(new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.DeadlineExceeded, "deadline exceeded")));
        Assert.False(await polling);
        Assert.Equal(Start.AddSeconds(7), h.State.TryGetObservation(alias)!.LastChecked);
    }

    [Fact]
    public async Task StartedWorkersPollWhatTheHealthTickQueues()
    {
        await using var h = Create();
        var alias = await h.AddTabletAsync(NewTablet("zone1", 106));
        await h.Refresher.RefreshAllTabletsAsync(Deadline());
        h.Tablets.Returns(alias, "FullStatus", Healthy(106, TabletType.Replica));
        var polled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Tablets.CallReceived += c => { if (c.Alias == alias) polled.TrySetResult(); };

        h.Poller.Start();
        Assert.Equal(1, h.Poller.EnqueueOutdated());
        await polled.Task.WaitAsync(Deadline());
        var deadline = Deadline();
        while (h.State.TryGetObservation(alias) is null)
        {
            deadline.ThrowIfCancellationRequested();
            await Task.Yield();
        }
        Assert.Equal(Start, h.State.TryGetObservation(alias)!.LastSeen);
    }

    [Fact]
    public async Task TheShardStateSourceBuildsASnapshotFromRecordsAndObservations()
    {
        await using var h = Create();
        await h.Topo.Keyspaces.CreateAsync("ks", new Keyspace { DurabilityPolicy = "semi_sync" }, Deadline());
        await h.Topo.CreateShardAsync("ks", "0", Deadline());
        var primary = await h.AddTabletAsync(NewTablet("zone1", 100, type: TabletType.Primary));
        var replica = await h.AddTabletAsync(NewTablet("zone1", 101));
        Assert.True(await h.Refresher.RefreshAllAsync(Deadline()));
        Assert.True(h.State.FirstDiscoveryCycleComplete);
        h.Tablets.Returns(primary, "FullStatus", Healthy(100, TabletType.Primary));
        await h.Source.ForcePollAsync(primary, Deadline());

        var snapshot = h.Source.GetSnapshot("ks", "0");

        Assert.NotNull(snapshot);
        Assert.Equal([primary, replica], snapshot.Tablets.Select(t => t.Alias));
        Assert.Equal([primary], snapshot.Observations.Keys);
        Assert.NotNull(snapshot.Durability);
        Assert.Equal("semi_sync", snapshot.Keyspace.DurabilityPolicy);
        Assert.Null(h.Source.GetSnapshot("ks", "-80"));
    }
}
