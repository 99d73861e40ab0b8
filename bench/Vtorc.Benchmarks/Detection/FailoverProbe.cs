using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using Vtorc.Agent.MySql;
using Vtorc.Benchmarks.Chaos;

namespace Vtorc.Benchmarks.Detection;

/// <summary>
/// Watches the two survivors of a failed primary from outside (over their unix sockets, asking no orchestrator) and
/// says when the failover is done: one survivor is read_only=OFF and takes an INSERT from the UNPRIVILEGED application
/// account, and the other replicates from it (source = its address, IO and SQL threads running). Sampled every 20 ms
/// on held connections, so a sample costs a few milliseconds and no connection set-up.
/// </summary>
internal sealed class FailoverProbe(ChaosServer first, ChaosServer second, long firstProbeId) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    // A write on a primary that waits for a semi-sync acknowledgement is not done yet; the next sample tries again.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(1);

    private readonly Dictionary<ChaosServer, MySqlConnection> _root = [];
    private long _nextId = firstProbeId;

    /// <summary>Samples taken by the last <see cref="WaitAsync"/>.</summary>
    public int Samples { get; private set; }

    /// <summary>
    /// Samples until the failover is done and returns the new primary with the time on <paramref name="sinceFault"/>
    /// when its INSERT was acknowledged; null when <paramref name="bound"/> passes first.
    /// </summary>
    public async Task<(ChaosServer Primary, TimeSpan Elapsed)?> WaitAsync(Stopwatch sinceFault, TimeSpan bound, CancellationToken cancellationToken)
    {
        var next = sinceFault.Elapsed;
        while (sinceFault.Elapsed < bound)
        {
            Samples++;
            var a = await ReadAsync(first, cancellationToken).ConfigureAwait(false);
            var b = await ReadAsync(second, cancellationToken).ConfigureAwait(false);
            foreach (var (candidate, candidateState, other, otherState) in new[] { (first, a, second, b), (second, b, first, a) })
            {
                if (candidateState is { ReadOnly: false } && otherState?.Replica is { IoRunning: true, SqlRunning: true } r
                    && r.SourceHost == candidate.Tablet.Address
                    && await InsertAsync(candidate, cancellationToken).ConfigureAwait(false))
                {
                    return (candidate, sinceFault.Elapsed);
                }
            }
            next += Interval;
            var wait = next - sinceFault.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                next = sinceFault.Elapsed;
            }
        }
        return null;
    }

    private async Task<ServerState?> ReadAsync(ChaosServer server, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await RootConnectionAsync(server, cancellationToken).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ReadTimeout);
            var readOnly = (await connection.QueryAsync("SELECT @@global.read_only", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault()?[0] == "1";
            var replica = (await connection.QueryAsync("SHOW SLAVE STATUS", deadline.Token).ConfigureAwait(false)).SingleRowOrDefault();
            return new ServerState(readOnly, replica is null ? null : ReplicaThreads.From(replica), "");
        }
        catch (Exception e) when (e is MySqlCallException or MySqlException or IOException or InvalidOperationException
                                      or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (_root.Remove(server, out var broken))
            {
                broken.Dispose();
            }
            return null;
        }
    }

    private async Task<bool> InsertAsync(ChaosServer server, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(WriteTimeout);
            var id = (_nextId++).ToString(CultureInfo.InvariantCulture);
            // As an application does: given up at the deadline, never killed (a killed commit that waits for a
            // semi-sync acknowledgement would be committed without one).
            await MySqlCalls.WriteWithoutKillAsync(server.App(WriteTimeout), $"INSERT INTO chaos.ledger (id, server) VALUES ({id}, 'probe {server.Alias}')",
                deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is MySqlCallException or MySqlException or IOException or InvalidOperationException
                                      or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // read_only refused it (error 1290), or it waited for an acknowledgement too long: not writable yet.
            return false;
        }
    }

    private async Task<MySqlConnection> RootConnectionAsync(ChaosServer server, CancellationToken cancellationToken)
    {
        if (!_root.TryGetValue(server, out var connection))
        {
            connection = await MySqlCalls.OpenAsync(server.Root(ReadTimeout), cancellationToken).ConfigureAwait(false);
            _root[server] = connection;
        }
        return connection;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var connection in _root.Values)
        {
            connection.Dispose();
        }
        _root.Clear();
        return ValueTask.CompletedTask;
    }
}
