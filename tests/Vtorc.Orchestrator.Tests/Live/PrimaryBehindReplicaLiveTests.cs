using System.Collections.Concurrent;
using Vtorc.Agent.MySql;
using Vtorc.LocalCluster;
using Vtorc.Orchestrator.Analysis;
using Xunit.Abstractions;

namespace Vtorc.Orchestrator.Tests.Live;

/// <summary>
/// A primary that crashes while a commit waits for a semi-sync acknowledgement, restarts, and is still the primary
/// (docs/reliability.md, "A restarted primary behind its replica"). With MariaDB's semi-sync replica crash recovery it
/// comes back without that commit, which a replica already applied: it must not be made writable (its next commit would
/// reuse the sequence number with other content); the shard is repaired by an emergency reparent instead.
/// </summary>
[NeedsExternalProcess]
public sealed class PrimaryBehindReplicaLiveTests(ITestOutputHelper output) : LiveClusterTest(output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output = output;

    // The servers run semi-sync after the binlog sync, with crash recovery that removes from the binary log what was
    // never committed in the engine (src/Vtorc.LocalCluster/MariaDbProcess.cs).

    [Fact]
    public async Task A_restarted_primary_lacking_a_commit_a_replica_applied_is_never_made_writable_and_the_shard_is_reparented()
    {
        var (daemon, primary) = await SemiSyncLiveShard.StartAsync(Live, Deadline);
        var replicas = Live.Cluster.Members.Where(m => m != primary).ToArray();
        var (holder, stopped) = (replicas[0], replicas[1]);
        foreach (var replica in replicas)
        {
            await Poll.UntilAsync(async () => await CountAsync(replica, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'test'") == 1,
                Deadline, $"{replica.AliasText} has the table");
        }

        // Nobody may repair the replicas' semi-sync while the stage is set.
        await daemon.DisableGlobalRecoveriesAsync("test", AgentCluster.Deadline());
        // Its IO thread only: it neither acknowledges nor receives the row, and once repointed it is the new primary's
        // semi-sync acker (with both threads stopped, the reparent could not have it apply its relay log).
        await stopped.ExecuteAsync("STOP SLAVE IO_THREAD");
        await holder.ExecuteAsync("SET GLOBAL rpl_semi_sync_slave_enabled = OFF");
        await holder.ExecuteAsync("STOP SLAVE IO_THREAD");
        await holder.ExecuteAsync("START SLAVE IO_THREAD");
        await Poll.UntilAsync(async () => await StatusAsync(primary, "Rpl_semi_sync_master_clients") == "0", Deadline, "no replica acknowledges");
        await Poll.UntilAsync(async () => await IoStateAsync(holder) == "Waiting for master to send event", Deadline,
            $"{holder.AliasText} replicates without semi-sync");

        var waiter = AppInsertAsync(primary, 1);
        await Poll.UntilAsync(async () => await CountAsync(holder, "SELECT COUNT(*) FROM test.t WHERE id = 1") == 1, Deadline,
            $"{holder.AliasText} applied the row the primary waits to have acknowledged");
        Assert.Equal("1", await StatusAsync(primary, "Rpl_semi_sync_master_wait_sessions"));

        primary.Server.Kill();
        await Poll.UntilAsync(() => Task.FromResult(!primary.Server.IsRunning), Deadline, "the primary's mysqld exited");
        await Assert.ThrowsAsync<MySqlCallException>(() => waiter.WaitAsync(Deadline));
        await primary.Server.StartAgainAsync(AgentCluster.Deadline(60));
        _output.WriteLine($"after the restart: primary {primary.AliasText} gtid_binlog_state {await VariableAsync(primary, "gtid_binlog_state")}, "
            + $"{holder.AliasText} gtid_binlog_state {await VariableAsync(holder, "gtid_binlog_state")}");
        Assert.Equal(0, await CountAsync(primary, "SELECT COUNT(*) FROM test.t WHERE id = 1"));
        Assert.True(await primary.IsReadOnlyAsync());

        await using var watcher = new WritableWhileBehindWatcher(primary);
        watcher.Start();
        await daemon.EnableGlobalRecoveriesAsync("test", AgentCluster.Deadline());

        // Whichever comes first: the old primary made writable while behind (the failure this test is about), or the
        // reparent's recovery finished.
        Vtorc.Orchestrator.Store.RecoveryRecord? recovery = null;
        await Poll.UntilAsync(async () =>
        {
            recovery = (await daemon.Store.ReadRecentRecoveriesAsync(0, AgentCluster.Deadline()))
                .FirstOrDefault(r => r.Analysis == AnalysisCodes.PrimaryBehindReplica && !r.IsActive);
            return recovery is not null || !watcher.Violations.IsEmpty;
        }, Deadline, "a finished recovery of PrimaryBehindReplica");
        Assert.True(watcher.Violations.IsEmpty, string.Join("; ", watcher.Violations));
        Assert.True(recovery!.IsSuccessful, recovery.AllErrors);
        Assert.Contains(recovery.Steps, s => s.Message.Contains($"replica {holder.AliasText} holds", StringComparison.Ordinal));
        var newPrimary = await Live.WaitForHealthyShardAsync(Deadline, "one writable primary that every other tablet replicates from");
        foreach (var member in Live.Cluster.Members)
        {
            await Poll.UntilAsync(async () => await CountAsync(member, "SELECT COUNT(*) FROM test.t WHERE id = 1") == 1, Deadline,
                $"{member.AliasText} has the row");
            if (member != newPrimary)
            {
                var status = await member.ReplicaStatusAsync();
                Assert.NotNull(status);
                Assert.Equal("", status["Last_IO_Error"]);
                Assert.Equal("", status["Last_SQL_Error"]);
            }
        }
        await watcher.StopAsync();

        Assert.True(watcher.Samples > 0, "the watcher read the old primary at least once");
        Assert.True(watcher.Violations.IsEmpty, string.Join("; ", watcher.Violations));
    }

    private static Task<string?> IoStateAsync(AgentMember replica) => SemiSyncLiveShard.IoStateAsync(replica);

    private static Task<string> StatusAsync(AgentMember member, string name) => SemiSyncLiveShard.StatusAsync(member, name);

    private static async Task<string> VariableAsync(AgentMember member, string name) =>
        (await member.QueryAsync($"SELECT @@global.{name}")).Rows[0][0] ?? "";

    private static async Task<long> CountAsync(AgentMember member, string sql) =>
        long.Parse((await member.QueryAsync(sql)).Rows[0][0]!, System.Globalization.CultureInfo.InvariantCulture);

    private static Task AppInsertAsync(AgentMember member, long id) => SemiSyncLiveShard.AppInsertAsync(member, id);

    /// <summary>
    /// Reads the old primary's read_only and whether it has row 1 (in one statement) every 100 ms; a sample that shows
    /// it writable without the row the replica holds is a violation. Unreachable moments are skipped.
    /// </summary>
    private sealed class WritableWhileBehindWatcher(AgentMember primary) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;
        private int _samples;

        public ConcurrentQueue<string> Violations { get; } = new();

        public int Samples => Volatile.Read(ref _samples);

        public void Start() => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var row = (await primary.QueryAsync("SELECT @@global.read_only, (SELECT COUNT(*) FROM test.t WHERE id = 1)", _stop.Token)).Rows[0];
                    Interlocked.Increment(ref _samples);
                    if (row[0] == "0" && row[1] == "0")
                    {
                        Violations.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {primary.AliasText} writable without the row a replica holds");
                    }
                }
                catch (Exception e) when (e is MySqlCallException or OperationCanceledException)
                {
                }
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            if (_loop is not null)
            {
                await _loop;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }
}
