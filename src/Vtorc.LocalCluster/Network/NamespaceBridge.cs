namespace Vtorc.LocalCluster.Network;

/// <summary>
/// A Linux bridge on the host with an address of its own, joining network namespaces through veth pairs: a small
/// switched network whose members reach each other and the host (etcd, the orchestrators) at the bridge's address.
/// </summary>
public sealed class NamespaceBridge
{
    private NamespaceBridge(string name, string hostAddress, int prefixLength)
    {
        Name = name;
        HostAddress = hostAddress;
        PrefixLength = prefixLength;
    }

    /// <summary>Interface name (at most 15 bytes, a Linux limit).</summary>
    public string Name { get; }

    /// <summary>The host's address on the bridge.</summary>
    public string HostAddress { get; }

    public int PrefixLength { get; }

    /// <summary>Creates the bridge, gives the host <paramref name="hostAddress"/> on it and brings it up.</summary>
    public static async Task<NamespaceBridge> CreateAsync(string name, string hostAddress, int prefixLength, CancellationToken cancellationToken)
    {
        CheckInterfaceName(name);
        await NetCommand.RunAsync([NetCommand.IpPath, "link", "add", "name", name, "type", "bridge"], cancellationToken).ConfigureAwait(false);
        await NetCommand.RunAsync([NetCommand.IpPath, "addr", "add", $"{hostAddress}/{prefixLength}", "dev", name], cancellationToken).ConfigureAwait(false);
        await NetCommand.RunAsync([NetCommand.IpPath, "link", "set", name, "up"], cancellationToken).ConfigureAwait(false);
        return new NamespaceBridge(name, hostAddress, prefixLength);
    }

    /// <summary>
    /// Connects <paramref name="ns"/> with a veth pair: <paramref name="hostEnd"/> on the bridge, <see cref="NetworkNamespace.InterfaceName"/>
    /// inside the namespace carrying its address. Deleting the namespace deletes the pair.
    /// </summary>
    public async Task AttachAsync(NetworkNamespace ns, string hostEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        CheckInterfaceName(hostEnd);
        string[][] steps =
        [
            [NetCommand.IpPath, "link", "add", hostEnd, "type", "veth", "peer", "name", NetworkNamespace.InterfaceName, "netns", ns.Name],
            [NetCommand.IpPath, "link", "set", hostEnd, "master", Name],
            [NetCommand.IpPath, "link", "set", hostEnd, "up"],
            [NetCommand.IpPath, "-n", ns.Name, "addr", "add", $"{ns.Address}/{PrefixLength}", "dev", NetworkNamespace.InterfaceName],
            [NetCommand.IpPath, "-n", ns.Name, "link", "set", NetworkNamespace.InterfaceName, "up"],
        ];
        foreach (var step in steps)
        {
            await NetCommand.RunAsync(step, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The names of the host's network interfaces.</summary>
    public static async Task<IReadOnlyList<string>> InterfaceNamesAsync(CancellationToken cancellationToken)
    {
        var output = await NetCommand.RunAsync([NetCommand.IpPath, "-o", "link", "show"], cancellationToken).ConfigureAwait(false);
        // "12: name@peer: <FLAGS> …" — the name is the second field without the "@peer" part and the colon.
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length >= 2)
            .Select(parts => parts[1].Trim().Split('@')[0])
            .ToList();
    }

    /// <summary>Deletes interface <paramref name="name"/> (a bridge, or a veth end with its peer). Never throws.</summary>
    public static Task DeleteInterfaceAsync(string name, CancellationToken cancellationToken) =>
        NetCommand.TryRunAsync([NetCommand.IpPath, "link", "delete", name], cancellationToken);

    private static void CheckInterfaceName(string name)
    {
        if (name.Length is 0 or > 15)
        {
            throw new ArgumentException($"interface name \"{name}\" must be 1 to 15 characters (a Linux limit)", nameof(name));
        }
    }
}
