using System.Globalization;
using System.Text.Json;
using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>
/// The settings Vitess treats as dynamic are re-read when the config file changes and take effect in the running
/// daemon; a value given on the command line stays (viper's precedence holds at every reload); static ones wait for a
/// restart.
/// </summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class ConfigReloadTests(EtcdFixture etcd)
{
    [Fact]
    public async Task Dynamic_settings_change_with_the_file_while_flags_and_static_settings_stay()
    {
        var directory = Directory.CreateTempSubdirectory("vtorc-reload-").FullName;
        try
        {
            var file = Path.Combine(directory, "vtorc.yaml");
            await File.WriteAllTextAsync(file, "instance-poll-time: 2s\nwait-replicas-timeout: 20s\nrecovery-period-block-duration: 40s\ndiscovery-workers: 10\n");
            var root = "/reload-" + Guid.NewGuid().ToString("N")[..12] + "/global";
            int port = LoopbackPorts.PickFree(1)[0];
            await using var daemon = await InProcessDaemon.StartHealthyAsync(
                ["--topo-global-server-address", etcd.Endpoint, "--topo-global-root", root, "--port", port.ToString(CultureInfo.InvariantCulture),
                 "--bind-address", "127.0.0.1", "--config-file", file, "--wait-replicas-timeout", "25s"], port);

            var before = await ConfigAsync(daemon);
            Assert.Equal(2_000_000_000, before["instance-poll-time"].GetProperty("value").GetInt64());
            Assert.Equal(25_000_000_000, before["wait-replicas-timeout"].GetProperty("value").GetInt64());

            await File.WriteAllTextAsync(file, "instance-poll-time: 3s\nwait-replicas-timeout: 21s\nrecovery-period-block-duration: 45s\ndiscovery-workers: 11\n");
            await Poll.UntilAsync(async () => (await ConfigAsync(daemon))["instance-poll-time"].GetProperty("value").GetInt64() == 3_000_000_000,
                TimeSpan.FromSeconds(60), "/api/config shows the new --instance-poll-time");

            var after = await ConfigAsync(daemon);
            Assert.Equal(45_000_000_000, after["recovery-period-block-duration"].GetProperty("value").GetInt64());
            Assert.Equal("config file", after["recovery-period-block-duration"].GetProperty("source").GetString());
            Assert.True(after["instance-poll-time"].GetProperty("dynamic").GetBoolean());
            // The command line wins over the file, also after a reload.
            Assert.Equal(25_000_000_000, after["wait-replicas-timeout"].GetProperty("value").GetInt64());
            Assert.Equal("flag", after["wait-replicas-timeout"].GetProperty("source").GetString());
            // Not dynamic in Vitess: read once at start.
            Assert.Equal(10, after["discovery-workers"].GetProperty("value").GetInt32());
            Assert.Equal(0, await daemon.StopAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Dictionary<string, JsonElement>> ConfigAsync(InProcessDaemon daemon)
    {
        var text = await daemon.Http.GetStringAsync("api/config?sources=true");
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(text)!;
    }
}
