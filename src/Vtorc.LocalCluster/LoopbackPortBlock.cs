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
internal sealed class LoopbackPortBlock : IAsyncDisposable
{
    private readonly NftTable _table;
    private int _removed;

    private LoopbackPortBlock(NftTable table, IReadOnlyList<int> ports)
    {
        _table = table;
        Ports = ports;
    }

    /// <summary>The nftables table (family inet) holding the drop rule.</summary>
    public string TableName => _table.Name;

    public IReadOnlyList<int> Ports { get; }

    /// <summary>Creates the table and its drop rule; throws naming the table, the rule and the nft error when that fails.</summary>
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
        var table = new NftTable("vtorc_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        IReadOnlyList<int> distinct = [.. ports.Distinct()];
        var list = string.Join(", ", distinct.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        await table.ReplaceRulesAsync([$"oifname \"lo\" tcp dport {{ {list} }} drop"], cancellationToken).ConfigureAwait(false);
        return new LoopbackPortBlock(table, distinct);
    }

    /// <summary>Deletes the table (the partition heals); later calls do nothing.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0)
        {
            await _table.DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await RemoveAsync().ConfigureAwait(false);
}
