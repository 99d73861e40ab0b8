namespace Vtorc.LocalCluster.Network;

/// <summary>
/// A Linux network namespace (<c>ip netns</c>) with its loopback up: one simulated host. Processes are started in it
/// with <see cref="ExecPrefix"/>; its nftables rule set (<see cref="NftRuleSet"/>) and its veth end disappear with it.
/// </summary>
public sealed class NetworkNamespace
{
    private NetworkNamespace(string name, string address)
    {
        Name = name;
        Address = address;
    }

    public string Name { get; }

    /// <summary>Its address on the bridge (<see cref="NamespaceBridge"/>).</summary>
    public string Address { get; }

    /// <summary>The interface inside the namespace that leads to the bridge.</summary>
    public const string InterfaceName = "eth0";

    /// <summary>Prepended to a command line to run it inside the namespace.</summary>
    public IReadOnlyList<string> ExecPrefix => [NetCommand.IpPath, "netns", "exec", Name];

    /// <summary>Creates the namespace and brings its loopback up (the address is assigned when it joins a bridge).</summary>
    public static async Task<NetworkNamespace> CreateAsync(string name, string address, CancellationToken cancellationToken)
    {
        await NetCommand.RunAsync([NetCommand.IpPath, "netns", "add", name], cancellationToken).ConfigureAwait(false);
        await NetCommand.RunAsync([NetCommand.IpPath, "-n", name, "link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false);
        return new NetworkNamespace(name, address);
    }

    /// <summary>The names of every namespace on this machine.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var output = await NetCommand.RunAsync([NetCommand.IpPath, "netns", "list"], cancellationToken).ConfigureAwait(false);
        // Lines look like "name" or "name (id: 3)".
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0]).ToList();
    }

    /// <summary>The pids of the processes running in namespace <paramref name="name"/>.</summary>
    public static async Task<IReadOnlyList<int>> PidsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var output = await NetCommand.RunAsync([NetCommand.IpPath, "netns", "pids", name], cancellationToken).ConfigureAwait(false);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>SIGKILLs whatever still runs in namespace <paramref name="name"/>, then deletes it. Never throws.</summary>
    public static async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var pid in await PidsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            if (ProcessIdentity.TryRead(pid) is { } process)
            {
                await DetachedProcess.KillAsync(process, cancellationToken).ConfigureAwait(false);
            }
        }
        await NetCommand.TryRunAsync([NetCommand.IpPath, "netns", "delete", name], cancellationToken).ConfigureAwait(false);
    }
}
