using System.Globalization;
using System.Security.Cryptography;
using Vtorc.LocalCluster.Network;

namespace Vtorc.LocalCluster;

/// <summary>
/// A network partition on loopback for fault-injection tests: an nftables table of its own (named
/// <c>vtorc_test_&lt;random&gt;</c>, so parallel tests never touch each other's rules) that drops every TCP packet
/// sent over <c>lo</c> to the given ports. Connections to those ports stall as across a cut cable (no reset), unix
/// sockets are unaffected. Disposing deletes the table. Needs root and the <c>nft</c> command (Debian nftables).
/// </summary>
public sealed class LoopbackPortBlock : IAsyncDisposable
{
    private int _removed;

    private LoopbackPortBlock(string tableName, IReadOnlyList<int> ports)
    {
        TableName = tableName;
        Ports = ports;
    }

    /// <summary>The nftables table (family inet) holding the drop rule.</summary>
    public string TableName { get; }

    public IReadOnlyList<int> Ports { get; }

    /// <summary>Creates the table and its drop rule; throws naming the nft error when that fails.</summary>
    public static async Task<LoopbackPortBlock> DropAsync(IReadOnlyCollection<int> ports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count == 0)
        {
            throw new ArgumentException("no port to block", nameof(ports));
        }
        foreach (var port in ports)
        {
            if (port is < 1 or > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(ports), port, $"port {port.ToString(CultureInfo.InvariantCulture)} is not in 1..65535");
            }
        }
        var name = "vtorc_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var list = string.Join(", ", ports.Distinct().Select(p => p.ToString(CultureInfo.InvariantCulture)));
        var script = $$"""
            table inet {{name}} {
                chain output {
                    type filter hook output priority 0; policy accept;
                    oifname "lo" tcp dport { {{list}} } drop
                }
            }
            """;
        await NetCommand.RunAsync([NetCommand.NftPath, "-f", "-"], cancellationToken, script).ConfigureAwait(false);
        return new LoopbackPortBlock(name, [.. ports.Distinct()]);
    }

    /// <summary>Deletes the table (the partition heals); later calls do nothing.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0)
        {
            await NetCommand.RunAsync([NetCommand.NftPath, "delete", "table", "inet", TableName], cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await RemoveAsync().ConfigureAwait(false);
}
