using System.Net;
using System.Net.Sockets;
using Vtorc.LocalCluster;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Protocol.Tests.Etcd;

/// <summary>Tests that stop, kill or avoid etcd; each starts its own process so the shared one stays up.</summary>
[NeedsExternalProcess]
public sealed class EtcdFailureTests
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_killed_etcd_gives_unavailable_and_a_restarted_one_serves_the_old_data()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        await using var client = etcd.CreateClient(CallTimeout);
        await client.PutAsync("/survives/restart", "yes");

        etcd.Kill();
        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/survives/restart"));
        Assert.Equal(EtcdErrorKind.Unavailable, error.Kind);
        Assert.Equal(global::Grpc.Core.StatusCode.Unavailable, error.Status);
        Assert.Contains("/survives/restart", error.Message);

        await etcd.StartAgainAsync();
        var value = await client.GetAsync("/survives/restart");
        Assert.Equal("yes", value?.Value.ToStringUtf8());
    }

    [Fact]
    public async Task After_an_outage_of_failed_calls_a_restarted_etcd_serves_the_very_next_call()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        await using var client = etcd.CreateClient(CallTimeout);
        await client.PutAsync("/outage/k", "v");

        // A client that keeps trying through a 4 s outage, as the daemon's loops do. Each failed attempt used to
        // lengthen grpc-dotnet's hidden reconnect backoff (1 s, 1.6 s, 2.6 s, …), during which every call failed
        // at once even with etcd back.
        etcd.Kill();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        var failures = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(4))
        {
            var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/outage/k"));
            Assert.Equal(EtcdErrorKind.Unavailable, error.Kind);
            failures++;
        }
        Assert.True(failures > 1, $"only {failures} calls were made during the outage");

        await etcd.StartAgainAsync();
        var value = await client.GetAsync("/outage/k");
        Assert.Equal("v", value?.Value.ToStringUtf8());
    }

    [Fact]
    public async Task With_a_dead_first_endpoint_calls_go_to_the_second_and_stay_there()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        var deadEndpoint = $"127.0.0.1:{UnusedPort()}";
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [deadEndpoint, "http://" + etcd.Endpoint],
            DefaultCallTimeout = CallTimeout,
        });

        await client.PutAsync("/failover/k", "v");
        var got = await client.GetAsync("/failover/k");

        Assert.Equal("v", got?.Value.ToStringUtf8());
        Assert.Equal(etcd.ClientUrl, client.CurrentEndpoint);
    }

    [Fact]
    public async Task Keeper_reports_lost_when_etcd_stays_dead_past_the_ttl()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        await using var client = etcd.CreateClient(CallTimeout);
        var lease = await client.LeaseGrantAsync(2);
        await using var keeper = client.KeepAlive(lease.ID, lease.TTL);

        etcd.Kill();
        var loss = await keeper.Lost.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("within its", loss.Reason);
        Assert.NotNull(loss.Error);
    }

    [Fact]
    public async Task Keeper_survives_a_short_etcd_restart_within_the_ttl()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        await using var client = etcd.CreateClient(CallTimeout);
        // Long enough to outlast a restart, short enough that renewals (every TTL/3) come quickly.
        var lease = await client.LeaseGrantAsync(6);
        await using var keeper = client.KeepAlive(lease.ID, lease.TTL);
        await Poll.UntilAsync(() => Task.FromResult(keeper.Renewals > 0), TimeSpan.FromSeconds(20), "the first renewal");

        await etcd.StopAsync();
        await etcd.StartAgainAsync();
        var before = keeper.Renewals;
        await Poll.UntilAsync(() => Task.FromResult(keeper.Renewals > before), TimeSpan.FromSeconds(30), "a renewal after the restart");

        Assert.False(keeper.IsLost);
    }

    [Fact]
    public async Task A_read_moves_past_a_silent_endpoint_to_one_that_answers()
    {
        await using var etcd = await EtcdProcess.StartAsync();
        // Accepts TCP connections (kernel backlog) but never speaks: a partitioned member.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [$"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", etcd.Endpoint],
            DefaultCallTimeout = TimeSpan.FromSeconds(6),
        });

        var status = await client.StatusAsync();

        Assert.StartsWith("3.", status.Version);
        Assert.Equal(etcd.ClientUrl, client.CurrentEndpoint);
    }

    [Fact]
    public async Task A_call_to_an_endpoint_that_never_answers_ends_with_deadline_exceeded()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [$"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"],
            DefaultCallTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.GetAsync("/never"));

        Assert.Equal(EtcdErrorKind.DeadlineExceeded, error.Kind);
        Assert.Equal("Range", error.Operation);
    }

    [Fact]
    public async Task Opening_a_watch_on_an_endpoint_that_never_answers_ends_with_deadline_exceeded()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [$"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"],
            DefaultCallTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.WatchKeyAsync("/never"));

        Assert.Equal(EtcdErrorKind.DeadlineExceeded, error.Kind);
        Assert.Equal("Watch", error.Operation);
    }

    [Fact]
    public async Task Keepalive_once_against_an_endpoint_that_never_answers_ends_with_deadline_exceeded()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [$"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"],
            DefaultCallTimeout = TimeSpan.FromSeconds(1),
        });

        var error = await Assert.ThrowsAsync<EtcdException>(() => client.LeaseKeepAliveOnceAsync(42));

        Assert.Equal(EtcdErrorKind.DeadlineExceeded, error.Kind);
    }

    [Fact]
    public async Task Cancelling_a_call_raises_operation_cancelled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var client = new EtcdClient(new EtcdClientOptions
        {
            Endpoints = [$"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"],
            DefaultCallTimeout = TimeSpan.FromSeconds(30),
        });
        using var cancel = new CancellationTokenSource();

        var call = client.GetAsync("/never", cancellationToken: cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
