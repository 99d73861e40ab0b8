using System.Globalization;
using System.Text;

namespace Vtorc.LocalCluster.Network;

/// <summary>
/// Packet filter rules inside one network namespace (nftables, one table of our own): drops that simulate a network
/// partition or random packet loss on the namespace's bridge interface. Its loopback is never filtered. Replacing
/// the rules is atomic (one <c>nft -f</c> transaction); the rules go away with the namespace.
/// </summary>
public static class NftRuleSet
{
    public const string TableName = "vtc_faults";

    /// <summary>Drop everything in and out of the bridge interface: the host is cut off from everyone.</summary>
    public static IReadOnlyList<string> DropAll => [$"iifname \"{NetworkNamespace.InterfaceName}\" drop", $"oifname \"{NetworkNamespace.InterfaceName}\" drop"];

    /// <summary>Drop all traffic with <paramref name="peer"/>, both directions.</summary>
    public static IReadOnlyList<string> DropPeer(string peer) =>
        [$"iifname \"{NetworkNamespace.InterfaceName}\" ip saddr {peer} drop", $"oifname \"{NetworkNamespace.InterfaceName}\" ip daddr {peer} drop"];

    /// <summary>Drop TCP between <paramref name="peer"/> and the local ports <paramref name="localPorts"/>, both directions.</summary>
    public static IReadOnlyList<string> DropPeerPorts(string peer, IEnumerable<int> localPorts)
    {
        var ports = string.Join(", ", localPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return
        [
            $"iifname \"{NetworkNamespace.InterfaceName}\" ip saddr {peer} tcp dport {{ {ports} }} drop",
            $"oifname \"{NetworkNamespace.InterfaceName}\" ip daddr {peer} tcp sport {{ {ports} }} drop",
        ];
    }

    /// <summary>Drop <paramref name="percent"/> % of packets at random, each direction (nftables <c>numgen random</c>).</summary>
    public static IReadOnlyList<string> RandomLoss(int percent)
    {
        if (percent is < 1 or > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "packet loss must be 1 to 99 percent");
        }
        var p = percent.ToString(CultureInfo.InvariantCulture);
        return
        [
            $"iifname \"{NetworkNamespace.InterfaceName}\" numgen random mod 100 < {p} drop",
            $"oifname \"{NetworkNamespace.InterfaceName}\" numgen random mod 100 < {p} drop",
        ];
    }

    /// <summary>Replaces the namespace's rules with <paramref name="rules"/> (each used in both the input and the output chain; a rule only matches its direction).</summary>
    public static Task ApplyAsync(NetworkNamespace ns, IReadOnlyList<string> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(rules);
        var script = new StringBuilder();
        // "add" then "delete" empties the table whether or not it existed, in the same transaction as the new rules.
        script.AppendLine(CultureInfo.InvariantCulture, $"add table inet {TableName}");
        script.AppendLine(CultureInfo.InvariantCulture, $"delete table inet {TableName}");
        script.AppendLine(CultureInfo.InvariantCulture, $"table inet {TableName} {{");
        foreach (var (chain, direction) in new[] { ("input", "iifname"), ("output", "oifname") })
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"  chain {chain} {{ type filter hook {chain} priority 0; policy accept;");
            foreach (var rule in rules.Where(r => r.StartsWith(direction, StringComparison.Ordinal)))
            {
                script.AppendLine(CultureInfo.InvariantCulture, $"    {rule}");
            }
            script.AppendLine("  }");
        }
        script.AppendLine("}");
        return NetCommand.RunAsync([.. ns.ExecPrefix, NetCommand.NftPath, "-f", "-"], cancellationToken, script.ToString());
    }

    /// <summary>Removes our table from the namespace: traffic flows again.</summary>
    public static Task ClearAsync(NetworkNamespace ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return NetCommand.RunAsync([.. ns.ExecPrefix, NetCommand.NftPath, "-f", "-"], cancellationToken,
            $"add table inet {TableName}\ndelete table inet {TableName}\n");
    }
}
