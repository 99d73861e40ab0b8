using System.Globalization;
using Vtorc.Agent.MySql;

namespace Vtorc.Benchmarks.Chaos;

/// <summary>
/// Counts commits that completed without a replica's semi-sync acknowledgement (MariaDB's status counter
/// <c>Rpl_semi_sync_master_no_tx</c>), reported per fault but not judged: besides commits acknowledged to their clients
/// after a fall-back to asynchronous commit, it counts the waiters that a fence killed (their clients got an error) and
/// that complete when a demoted primary's primary side is switched off. What is judged is the condition that lets a
/// client be told "committed" without an acknowledgement (<see cref="SemiSyncWaitSampler"/>). The counter restarts at 0
/// with mysqld, so it is read before every heal (which may restart a server) and at the end, and the increases are
/// added up.
/// </summary>
internal sealed class SemiSyncFallbacks(IReadOnlyList<ChaosServer> servers)
{
    private readonly Dictionary<string, long> _lastSeen = new(StringComparer.Ordinal);

    public long Total { get; private set; }

    /// <summary>Reads every server it can and adds what each counter grew by since the last reading; returns that growth.</summary>
    public async Task<long> SampleAsync(CancellationToken cancellationToken)
    {
        var before = Total;
        foreach (var server in servers)
        {
            if (await ReadAsync(server, cancellationToken).ConfigureAwait(false) is not { } value)
            {
                continue;
            }
            var last = _lastSeen.GetValueOrDefault(server.Alias);
            // Lower than last time: mysqld restarted and counts from 0 again.
            Total += value >= last ? value - last : value;
            _lastSeen[server.Alias] = value;
        }
        return Total - before;
    }

    private static async Task<long?> ReadAsync(ChaosServer server, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(4));
            using var connection = await MySqlCalls.OpenAsync(server.Root(TimeSpan.FromSeconds(2)), deadline.Token).ConfigureAwait(false);
            var row = (await connection.QueryAsync("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_no_tx'", deadline.Token).ConfigureAwait(false))
                .SingleRowOrDefault();
            return row?[1] is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is MySqlCallException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
