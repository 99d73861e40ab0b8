using System.Globalization;
using System.Net;
using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>
/// --lameduck-period on the real vtorc process: after SIGTERM it keeps answering HTTP, with /debug/health saying it is
/// shutting down, and then exits cleanly.
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class LameduckPeriodTests(EtcdFixture etcd)
{
    // Long enough that the test sees the lameduck answer on a loaded machine; the test waits for it to pass.
    private static readonly TimeSpan Lameduck = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task After_SIGTERM_the_process_answers_shutting_down_for_the_lameduck_period_then_exits_cleanly()
    {
        var directory = Directory.CreateTempSubdirectory("vtorc-lameduck-").FullName;
        try
        {
            int port = LoopbackPorts.PickFree(1)[0];
            var root = "/lameduck-" + Guid.NewGuid().ToString("N")[..12] + "/global";
            var start = VtorcExecutable.Locate().StartInfo(["--topo-implementation", "etcd2", "--topo-global-server-address", etcd.Endpoint,
                "--topo-global-root", root, "--port", port.ToString(CultureInfo.InvariantCulture), "--lameduck-period", "20s"]);
            var logPath = Path.Combine(directory, "vtorc.out");
            using var process = ChildProcess.Start(start, logPath);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(async () => !process.HasExited && await HealthAsync(http) is (HttpStatusCode.OK, _), TimeSpan.FromSeconds(90),
                "/debug/health answers 200");

            var stopped = process.StopAsync(TimeSpan.FromMinutes(2));

            await Poll.UntilAsync(async () => await HealthAsync(http) is (HttpStatusCode.InternalServerError, var body)
                    && body.Contains("shutting down", StringComparison.Ordinal),
                Lameduck, "/debug/health answers 500 \"shutting down\" after SIGTERM");
            await stopped;
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("lameduck", LogFiles.ReadFrom(logPath, 0), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("debug/health");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, ""); // not listening (yet, or any more)
        }
    }
}
