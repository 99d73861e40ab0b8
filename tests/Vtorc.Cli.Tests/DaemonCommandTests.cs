using System.Net;
using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>
/// The root `vtorc` command runs the orchestrator daemon against a real etcd: it serves its HTTP surface on --port,
/// reports healthy once the first topo discovery completed, and stops cleanly when cancelled (what SIGTERM does).
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class DaemonCommandTests(EtcdFixture etcd)
{
    [Fact]
    public async Task Daemon_serves_health_and_config_then_stops_cleanly_when_cancelled()
    {
        var root = "/daemon-" + Guid.NewGuid().ToString("N")[..12] + "/global";
        int port = LoopbackPorts.PickFree(1)[0];
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var daemon = VtorcApp.RunAsync(
            ["--topo-global-server-address", etcd.Endpoint, "--topo-global-root", root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--bind-address", "127.0.0.1", "--instance-poll-time", "1s", "--allow-recovery=false"],
            TextWriter.Synchronized(output), TextWriter.Synchronized(error), stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        await Poll.UntilAsync(async () =>
        {
            Assert.False(daemon.IsCompleted, $"the daemon exited early: {error}");
            try
            {
                return (await http.GetAsync("debug/health")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, TimeSpan.FromSeconds(60), "/debug/health answers 200");

        var config = await http.GetStringAsync("api/config");
        Assert.Contains("instance-poll-time", config);
        var state = await http.GetStringAsync("api/database-state");
        Assert.Contains("global_recovery_disable", state);

        await stop.CancelAsync();
        Assert.Equal(0, await daemon);
        Assert.Contains("status page http://127.0.0.1:", output.ToString());
    }

    [Fact]
    public async Task Daemon_without_a_topology_address_fails_naming_the_flag()
    {
        var result = await CtlRunner.RunRawAsync("--port", "0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--topo-global-server-address", result.Error);
    }
}
