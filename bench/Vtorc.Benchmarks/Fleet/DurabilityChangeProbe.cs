using System.Diagnostics;
using System.Text.RegularExpressions;
using Vtorc.Topo;

namespace Vtorc.Benchmarks.Fleet;

/// <summary>
/// How long a durability policy change (the keyspace record write that <c>SetKeyspaceDurabilityPolicy</c> makes) takes
/// to reach each daemon: the record is rewritten with the other policy, then every daemon's <c>/api/snapshot</c> of one
/// of the keyspace's shards is read every 20 ms until it shows the new policy. Run after the measuring window: the
/// simulated tablets keep their semi-sync settings, so the daemons may find (and repair) mismatches afterwards.
/// </summary>
internal static partial class DurabilityChangeProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<IReadOnlyList<(string Daemon, double? Ms)>> RunAsync(SimulatedFleet fleet, IReadOnlyList<FleetDaemon> daemons,
        HttpClient http, CancellationToken cancellationToken)
    {
        var shard = fleet.Layout.Shards[0];
        var target = shard.SemiSync ? "none" : "semi_sync";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit);
        var clock = Stopwatch.StartNew();
        await fleet.Topo.Keyspaces.UpdateFieldsAsync(shard.Keyspace, k => k.DurabilityPolicy = target, deadline.Token);
        var written = clock.Elapsed;
        var seen = await Task.WhenAll(daemons.Select(d => WaitForPolicyAsync(d, http, shard, target, clock, deadline.Token)));
        Console.WriteLine($"durability change: keyspace {shard.Keyspace} {shard.Durability} -> {target}, record written in " +
            $"{written.TotalMilliseconds:0} ms; seen in /api/snapshot by " +
            string.Join(", ", daemons.Select((d, i) => $"{d.Name} after {(seen[i] is { } ms ? $"{ms:0} ms" : $"more than {Limit.TotalSeconds:0} s")}")));
        return [.. daemons.Select((d, i) => (d.Name, seen[i]))];
    }

    private static async Task<double?> WaitForPolicyAsync(FleetDaemon daemon, HttpClient http, ShardPlace shard, string target, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{daemon.HttpPort}/api/snapshot?keyspace={Uri.EscapeDataString(shard.Keyspace)}&shard={Uri.EscapeDataString(shard.Name)}";
        try
        {
            while (true)
            {
                var body = await http.GetStringAsync(url, cancellationToken);
                var match = PolicyField().Match(body);
                if (match.Success && match.Groups[1].Value == target)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [GeneratedRegex("\"durability_policy\"\\s*:\\s*\"([a-z_]*)\"")]
    private static partial Regex PolicyField();
}
