using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Vtorc.LocalCluster;

/// <summary>
/// A network partition on loopback for fault-injection tests: an nftables table of its own (named
/// <c>vtorc_test_&lt;random&gt;</c>, so parallel tests never touch each other's rules) that drops every TCP packet
/// sent over <c>lo</c> to the given ports. Connections to those ports stall as across a cut cable (no reset), unix
/// sockets are unaffected. Disposing deletes the table. Needs root and the <c>nft</c> command (Debian nftables).
/// </summary>
public sealed class LoopbackPortBlock : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

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
        await RunNftAsync(["-f", "-"], script, cancellationToken).ConfigureAwait(false);
        return new LoopbackPortBlock(name, [.. ports.Distinct()]);
    }

    /// <summary>Deletes the table (the partition heals); later calls do nothing.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0)
        {
            await RunNftAsync(["delete", "table", "inet", TableName], null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await RemoveAsync().ConfigureAwait(false);

    private static async Task RunNftAsync(IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("nft")
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start nft");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"nft {string.Join(' ', arguments)} failed with exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
    }
}
