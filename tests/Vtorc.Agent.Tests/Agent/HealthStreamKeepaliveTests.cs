using System.Diagnostics;
using Vtorc.Reparent.TabletManager;
using Xunit.Abstractions;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>
/// The orchestrator's tablet client (<see cref="GrpcTabletManagerClient"/>, whose health stream the orchestrator's
/// subscription reads on the same channel as its FullStatus polls) against a real agent behind a proxy that enforces a
/// vttablet's default keepalive policy: docs/wire-format.md, "Reaching a tablet".
/// </summary>
[NeedsExternalProcess]
public sealed class HealthStreamKeepaliveTests(ITestOutputHelper output) : AgentClusterTest(output)
{
    /// <summary>Longer than two ping strikes take at any ping interval a client could get away with (10 s minimum).</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(25);

    protected override int Size => 1;

    protected override TimeSpan? HealthCheckInterval => TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Health_stream_through_a_vttablet_style_ping_enforcing_server_is_never_disconnected()
    {
        await BuildShardAsync();
        var member = Cluster[0];
        await using var proxy = new Http2FrameCountingProxy(member.GrpcPort, Http2PingEnforcementPolicy.VttabletDefaults);
        var tablet = (await member.TabletRecordAsync()).Clone();
        tablet.Hostname = "127.0.0.1";
        tablet.PortMap["grpc"] = proxy.Port;
        using var client = new GrpcTabletManagerClient();
        using var cancel = new CancellationTokenSource(Window + TimeSpan.FromSeconds(90));
        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        var polls = PollFullStatusEverySecondAsync(client, tablet, stopPolling.Token);

        var messages = 0;
        Stopwatch? streamTime = null;
        await foreach (var snapshot in client.StreamHealthAsync(tablet, cancel.Token))
        {
            streamTime ??= Stopwatch.StartNew();
            messages++;
            Assert.True(SameAlias(snapshot.TabletAlias, member.Alias), $"a snapshot of {snapshot.TabletAlias} instead of {member.AliasText}");
            AssertConnectedWithoutPings(proxy, $"after {messages} messages in {streamTime.Elapsed.TotalSeconds:0.#} s");
            if (streamTime.Elapsed >= Window)
            {
                break;
            }
        }
        await stopPolling.CancelAsync();
        var fullStatuses = await polls;

        Assert.True(streamTime is { } time && time.Elapsed >= Window,
            $"the health stream ended after {messages} messages in {streamTime?.Elapsed.TotalSeconds ?? 0:0.#} s");
        // One of each a second: even a starved machine delivers far more than five in 25 s.
        Assert.True(messages >= 5, $"only {messages} health messages in {Window.TotalSeconds} s");
        Assert.True(fullStatuses >= 5, $"only {fullStatuses} FullStatus calls answered in {Window.TotalSeconds} s");
        AssertConnectedWithoutPings(proxy, "at the end");
    }

    private static void AssertConnectedWithoutPings(Http2FrameCountingProxy proxy, string when)
    {
        Assert.True(proxy.TooManyPingsGoAways == 0, $"GOAWAY too_many_pings {when}");
        Assert.True(proxy.ConnectionsAccepted == 1, $"{proxy.ConnectionsAccepted} connections {when}");
        Assert.True(proxy.ClientPings == 0, $"{proxy.ClientPings} client PINGs {when}");
    }

    /// <summary>FullStatus every second on the stream's channel, as the orchestrator polls, until stopped; the number answered.</summary>
    private static async Task<int> PollFullStatusEverySecondAsync(GrpcTabletManagerClient client, Topodata.Tablet tablet, CancellationToken stop)
    {
        var answered = 0;
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await ticks.WaitForNextTickAsync(stop))
            {
                await client.FullStatusAsync(tablet, stop, TimeSpan.FromSeconds(30));
                answered++;
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
        }
        return answered;
    }
}
