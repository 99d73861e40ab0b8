using System.Globalization;
using System.Text.RegularExpressions;
using Vtorc.LocalCluster;

namespace Vtorc.Cli.Tests;

/// <summary>
/// The executable enlarges .NET's shared buffer pool before anything uses it (docs/architecture.md, "Memory traffic of
/// the health streams"), unless the operator set the limit; the daemon logs what the pool really keeps.
/// </summary>
public sealed class SharedBufferPoolTests
{
    [Fact]
    public void The_limit_is_set_when_the_environment_names_none()
    {
        var environment = new Dictionary<string, string?>();

        SharedBufferPool.Enlarge(k => environment.GetValueOrDefault(k), (k, v) => environment[k] = v);

        Assert.Equal("1024", environment[SharedBufferPool.ArraysPerCoreVariable]);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("4096")]
    public void An_operators_own_limit_is_left_as_it_is(string value)
    {
        var environment = new Dictionary<string, string?> { [SharedBufferPool.ArraysPerCoreVariable] = value };

        SharedBufferPool.Enlarge(k => environment.GetValueOrDefault(k), (k, v) => environment[k] = v);

        Assert.Equal(value, environment[SharedBufferPool.ArraysPerCoreVariable]);
    }

    [Fact]
    public void A_blank_value_counts_as_none()
    {
        var environment = new Dictionary<string, string?> { [SharedBufferPool.ArraysPerCoreVariable] = " " };

        SharedBufferPool.Enlarge(k => environment.GetValueOrDefault(k), (k, v) => environment[k] = v);

        Assert.Equal("1024", environment[SharedBufferPool.ArraysPerCoreVariable]);
    }
}

/// <summary>The real vtorc process: its pool keeps what Main asked for, measured from inside and logged at start.</summary>
[Collection(EtcdCollection.Name)]
[NeedsExternalProcess]
public sealed class SharedBufferPoolProcessTests(EtcdFixture etcd)
{
    [Fact]
    public async Task The_vtorc_process_keeps_a_thousand_buffers_of_a_size_per_core()
    {
        var (kept, value) = await KeptByProcessAsync(operatorValue: null);

        Assert.True(kept >= SharedBufferPool.ArraysPerCore, $"the pool kept {kept} arrays of a size; Main asked for {SharedBufferPool.ArraysPerCore} per core");
        Assert.Equal("1024", value);
    }

    [Fact]
    public async Task An_operators_smaller_limit_is_what_the_vtorc_process_keeps()
    {
        var (kept, value) = await KeptByProcessAsync(operatorValue: "8");

        // 8 per core, plus the one array a thread keeps for itself.
        Assert.InRange(kept, 1, 8 * Environment.ProcessorCount + 1);
        Assert.Equal("8", value);
    }

    private async Task<(int Kept, string Value)> KeptByProcessAsync(string? operatorValue)
    {
        var directory = Directory.CreateTempSubdirectory("vtorc-buffer-pool-").FullName;
        try
        {
            int port = LoopbackPorts.PickFree(1)[0];
            var root = "/buffer-pool-" + Guid.NewGuid().ToString("N")[..12] + "/global";
            var start = VtorcExecutable.Locate().StartInfo(["--topo-implementation", "etcd2", "--topo-global-server-address", etcd.Endpoint,
                "--topo-global-root", root, "--port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1"]);
            start.Environment.Remove(SharedBufferPool.ArraysPerCoreVariable);
            if (operatorValue is not null)
            {
                start.Environment[SharedBufferPool.ArraysPerCoreVariable] = operatorValue;
            }
            var logPath = Path.Combine(directory, "vtorc.out");
            using var process = ChildProcess.Start(start, logPath);
            Match? line = null;
            await Poll.UntilAsync(() =>
            {
                Assert.False(process.HasExited, $"vtorc exited with code {(process.HasExited ? process.ExitCode : 0)}:\n{LogFiles.ReadFrom(logPath, 0)}");
                line = Regex.Match(LogFiles.ReadFrom(logPath, 0), @"Shared buffer pool: keeps (\d+) arrays of a size across \d+ cores \(([A-Z_]+)=([^)]*)\)");
                return Task.FromResult(line.Success);
            }, TimeSpan.FromSeconds(90), "vtorc logs what its shared buffer pool keeps");
            await process.StopAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(SharedBufferPool.ArraysPerCoreVariable, line!.Groups[2].Value);
            return (int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture), line.Groups[3].Value);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
