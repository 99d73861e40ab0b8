using System.Globalization;
using System.Text.Json;
using Vtorc.LocalCluster;
using Vtorc.LocalCluster.Network;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Injects one fault into a <see cref="ChaosCluster"/> (choices drawn from the run's seeded random source) and heals
/// every fault afterwards: nft rules removed, frozen processes continued, every recorded process running again.
/// </summary>
internal sealed class FaultInjector(ChaosCluster cluster, Random random)
{
    // How long the mid-reparent kill waits for an orchestrator to log a reparent step before giving up.
    private static readonly TimeSpan ReparentStepWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The servers the current fault cuts off from the orchestrators (an isolated primary, a primary whose agent they
    /// cannot reach): nobody can fence those, so the two-writable check leaves them out until the fault is healed.
    /// </summary>
    public IReadOnlySet<string> CutOffFromOrchestrators { get; private set; } = new HashSet<string>();

    /// <summary>Injects <paramref name="kind"/>; returns what was done and how long to hold it before healing.</summary>
    public async Task<(string What, TimeSpan Hold)> InjectAsync(FaultKind kind, ChaosServer? primary, CancellationToken cancellationToken)
    {
        var servers = cluster.Servers;
        primary ??= servers[random.Next(servers.Count)];
        var replicas = servers.Where(s => s != primary).ToList();
        // The primary is the interesting target; replicas get a share so their faults are covered too.
        var target = random.NextDouble() < 0.6 ? primary : replicas[random.Next(replicas.Count)];
        switch (kind)
        {
            case FaultKind.KillMysqld:
                await DetachedProcess.KillAsync(cluster.MySqld(target).Identity, cancellationToken).ConfigureAwait(false);
                return ($"SIGKILL mysqld of {Role(target, primary)}", Seconds(3, 10));
            case FaultKind.KillAgent:
                await DetachedProcess.KillAsync(cluster.Agent(target).Identity, cancellationToken).ConfigureAwait(false);
                return ($"SIGKILL agent of {Role(target, primary)}", Seconds(3, 10));
            case FaultKind.KillOrchestrator:
            {
                var name = cluster.Orchestrators.Keys.ElementAt(random.Next(cluster.Orchestrators.Count));
                await DetachedProcess.KillAsync(cluster.Process(LocalProcessKinds.Daemon, name).Identity, cancellationToken).ConfigureAwait(false);
                return ($"SIGKILL {name}", Seconds(2, 8));
            }
            case FaultKind.KillOrchestratorMidReparent:
                return (await KillMidReparentAsync(primary, cancellationToken).ConfigureAwait(false), Seconds(2, 6));
            case FaultKind.FreezeMysqld:
                DetachedProcess.Pause(cluster.MySqld(target).Identity);
                return ($"SIGSTOP mysqld of {Role(target, primary)}", Seconds(3, 12));
            case FaultKind.CutOrchestratorsFromPrimary:
            {
                var grpc = cluster.Agent(primary).Ports["grpc"];
                CutOffFromOrchestrators = new HashSet<string> { primary.Alias };
                await NftRuleSet.ApplyAsync(primary.Namespace, NftRuleSet.DropPeerPorts(cluster.BridgeHostAddress, [grpc]), cancellationToken)
                    .ConfigureAwait(false);
                return ($"drop orchestrators <-> agent of primary {primary.Alias} (tcp {grpc})", Seconds(5, 12));
            }
            case FaultKind.IsolatePrimary:
                CutOffFromOrchestrators = new HashSet<string> { primary.Alias };
                await NftRuleSet.ApplyAsync(primary.Namespace, NftRuleSet.DropAll, cancellationToken).ConfigureAwait(false);
                return ($"isolate primary {primary.Alias} (all traffic on its interface dropped; local clients keep writing)", Seconds(12, 30));
            case FaultKind.CutReplicaFromPrimary:
            {
                var replica = replicas[random.Next(replicas.Count)];
                await NftRuleSet.ApplyAsync(replica.Namespace, NftRuleSet.DropPeer(primary.Tablet.Address), cancellationToken).ConfigureAwait(false);
                return ($"drop replica {replica.Alias} <-> primary {primary.Alias}", Seconds(5, 12));
            }
            case FaultKind.PacketLoss:
            {
                var percent = random.Next(10, 41);
                foreach (var server in servers)
                {
                    await NftRuleSet.ApplyAsync(server.Namespace, NftRuleSet.RandomLoss(percent), cancellationToken).ConfigureAwait(false);
                }
                return ($"{percent.ToString(CultureInfo.InvariantCulture)}% random packet loss on every tablet", Seconds(5, 12));
            }
            case FaultKind.EtcdDownDuringFailover:
                await DetachedProcess.KillAsync(cluster.MySqld(primary).Identity, cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 2000)), cancellationToken).ConfigureAwait(false);
                await DetachedProcess.KillAsync(cluster.Etcd.Identity, cancellationToken).ConfigureAwait(false);
                return ($"SIGKILL mysqld of primary {primary.Alias}, then etcd", Seconds(3, 10));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown fault kind");
        }
    }

    /// <summary>
    /// SIGKILL of the primary's mysqld starts an emergency reparent; the orchestrator whose active recovery has recorded
    /// its n-th step (n drawn at random; read from its <c>/api/recoveries</c>) is killed at that moment, between two steps.
    /// </summary>
    private async Task<string> KillMidReparentAsync(ChaosServer primary, CancellationToken cancellationToken)
    {
        await DetachedProcess.KillAsync(cluster.MySqld(primary).Identity, cancellationToken).ConfigureAwait(false);
        var wanted = random.Next(1, 5);
        var deadline = DateTime.UtcNow + ReparentStepWait;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (name, port) in cluster.Orchestrators)
            {
                if (await ActiveRecoveryStepAsync(http, port, wanted, cancellationToken).ConfigureAwait(false) is { } step)
                {
                    await DetachedProcess.KillAsync(cluster.Process(LocalProcessKinds.Daemon, name).Identity, cancellationToken).ConfigureAwait(false);
                    return $"SIGKILL mysqld of primary {primary.Alias}, then {name} after step {wanted.ToString(CultureInfo.InvariantCulture)} of its recovery (\"{step}\")";
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
        return $"SIGKILL mysqld of primary {primary.Alias}; no orchestrator had an active recovery with {wanted.ToString(CultureInfo.InvariantCulture)} steps within "
            + $"{ReparentStepWait.TotalSeconds:0} s, none killed";
    }

    /// <summary>Step number <paramref name="wanted"/> of an active recovery of the orchestrator on <paramref name="port"/>, or null.</summary>
    private static async Task<string?> ActiveRecoveryStepAsync(HttpClient http, int port, int wanted, CancellationToken cancellationToken)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/api/recoveries"), cancellationToken)
                .ConfigureAwait(false);
            using var json = JsonDocument.Parse(text);
            foreach (var recovery in json.RootElement.EnumerateArray())
            {
                if (Property(recovery, "IsActive") is { ValueKind: JsonValueKind.True }
                    && Property(recovery, "Steps") is { ValueKind: JsonValueKind.Array } steps && steps.GetArrayLength() >= wanted)
                {
                    var step = steps[wanted - 1];
                    return Property(step, "Message")?.GetString() ?? step.ToString();
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException
                                      && !cancellationToken.IsCancellationRequested)
        {
            // An orchestrator that is starting or busy: ask again.
        }
        return null;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;

    /// <summary>Undoes every fault: rules cleared, processes continued, every recorded process running (etcd first).</summary>
    public async Task HealAllAsync(CancellationToken cancellationToken)
    {
        // Counted again from the moment the rules go: a reachable former primary must be fenced at once.
        CutOffFromOrchestrators = new HashSet<string>();
        foreach (var server in cluster.Servers)
        {
            await NftRuleSet.ClearAsync(server.Namespace, cancellationToken).ConfigureAwait(false);
        }
        foreach (var record in cluster.State.Processes)
        {
            DetachedProcess.Resume(record.Identity);
        }
        string[] order = [LocalProcessKinds.Etcd, LocalProcessKinds.MySqld, LocalProcessKinds.Agent, LocalProcessKinds.Daemon];
        foreach (var kind in order)
        {
            foreach (var record in cluster.State.OfKind(kind).ToList())
            {
                await cluster.EnsureRunningAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Role(ChaosServer server, ChaosServer primary) => server == primary ? $"primary {server.Alias}" : $"replica {server.Alias}";

    private TimeSpan Seconds(int min, int max) => TimeSpan.FromMilliseconds(random.Next(min * 1000, max * 1000));
}
