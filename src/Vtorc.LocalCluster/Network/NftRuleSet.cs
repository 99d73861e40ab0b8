using System.Globalization;

namespace Vtorc.LocalCluster.Network;

/// <summary>
/// Packet filter rules inside one network namespace (nftables, one table of our own): drops that simulate a network
/// partition or random packet loss on the namespace's bridge interface. Its loopback is never filtered. Replacing
/// the rules is atomic (<see cref="NftTable"/>); the rules go away with the namespace.
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
    public static IReadOnlyList<string> RandomLoss(int percent) => RandomLossMatching(percent, "", "");

    /// <summary>
    /// Drop <paramref name="percent"/> % of the packets exchanged with <paramref name="peer"/> at random, each
    /// direction; traffic with every other address is untouched (a lossy link towards one peer only).
    /// </summary>
    public static IReadOnlyList<string> RandomLossWithPeer(string peer, int percent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(peer);
        return RandomLossMatching(percent, $" ip saddr {peer}", $" ip daddr {peer}");
    }

    private static IReadOnlyList<string> RandomLossMatching(int percent, string inbound, string outbound)
    {
        if (percent is < 1 or > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "packet loss must be 1 to 99 percent");
        }
        var p = percent.ToString(CultureInfo.InvariantCulture);
        return
        [
            $"iifname \"{NetworkNamespace.InterfaceName}\"{inbound} numgen random mod 100 < {p} drop",
            $"oifname \"{NetworkNamespace.InterfaceName}\"{outbound} numgen random mod 100 < {p} drop",
        ];
    }

    /// <summary>Replaces the namespace's rules with <paramref name="rules"/> in one transaction (<see cref="NftTable.ReplaceRulesAsync"/>).</summary>
    public static Task ApplyAsync(NetworkNamespace ns, IReadOnlyList<string> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new NftTable(TableName, ns).ReplaceRulesAsync(rules, cancellationToken);
    }

    /// <summary>Removes our table from the namespace: traffic flows again.</summary>
    public static Task ClearAsync(NetworkNamespace ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new NftTable(TableName, ns).DeleteAsync(cancellationToken);
    }
}
