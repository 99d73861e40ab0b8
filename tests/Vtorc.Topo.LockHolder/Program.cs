using System.Globalization;
using Vtorc.Topo;

namespace Vtorc.Topo.LockHolder;

/// <summary>
/// Test helper process. Modes:
/// <list type="bullet">
/// <item><c>cycle</c>: N times take the shard lock, append "enter {pid}" and "exit {pid}" to a shared file while
/// holding it, release.</item>
/// <item><c>hold</c>: take the lock, print "acquired {leaseId}" and keep it until stdin closes (or the process is killed).</item>
/// </list>
/// Arguments: mode endpoint globalRoot keyspace shard file iterations ttlSeconds.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 8)
        {
            await Console.Error.WriteLineAsync("usage: lockholder cycle|hold <endpoint> <global-root> <keyspace> <shard> <file> <iterations> <ttl-seconds>");
            return 2;
        }

        var (mode, endpoint, root, keyspace, shard, file) = (args[0], args[1], args[2], args[3], args[4], args[5]);
        var iterations = int.Parse(args[6], CultureInfo.InvariantCulture);
        var ttl = TimeSpan.FromSeconds(int.Parse(args[7], CultureInfo.InvariantCulture));
        var pid = Environment.ProcessId;
        await using var topo = TopoServer.Open(new TopoServerOptions
        {
            GlobalServerAddresses = [endpoint],
            GlobalRoot = root,
            LockTtl = ttl,
            LockTimeout = TimeSpan.FromMinutes(2),
        });

        switch (mode)
        {
            case "cycle":
                for (var i = 0; i < iterations; i++)
                {
                    await using var handle = await topo.Locks.LockShardAsync(keyspace, shard, $"LockHolder {pid} round {i}", CancellationToken.None);
                    await AppendAsync(file, $"enter {pid}");
                    // Hold the lock across a few scheduler turns so that a broken exclusion would interleave.
                    for (var spin = 0; spin < 5; spin++)
                    {
                        await Task.Delay(2);
                    }

                    await AppendAsync(file, $"exit {pid}");
                }

                return 0;

            case "hold":
                await using (var handle = await topo.Locks.LockShardAsync(keyspace, shard, $"LockHolder {pid} hold", CancellationToken.None))
                {
                    Console.Out.WriteLine($"acquired {handle.LeaseId.ToString(CultureInfo.InvariantCulture)}");
                    Console.Out.Flush();
                    await Console.In.ReadToEndAsync();
                }

                return 0;

            default:
                await Console.Error.WriteLineAsync($"unknown mode \"{mode}\" (expected cycle or hold)");
                return 2;
        }
    }

    /// <summary>One O_APPEND write per line so concurrent writers cannot tear each other's lines.</summary>
    private static async Task AppendAsync(string path, string line)
    {
        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        await stream.WriteAsync(bytes);
    }
}
