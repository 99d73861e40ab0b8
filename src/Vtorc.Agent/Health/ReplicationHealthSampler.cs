using Microsoft.Extensions.Logging;
using Vtorc.Protocol.Background;
using MySqlConnector;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Health;

/// <summary>
/// Samples a replica's replication state for the health stream every <see cref="Interval"/> on a connection of its own
/// (never the RPCs' pool or lock). A sample that fails leaves the last known state: whether mysqld answers at all is
/// the <see cref="MySqldWatcher"/>'s call. <see cref="Changed"/> fires when <see cref="Current"/>'s error changes.
/// </summary>
public sealed class ReplicationHealthSampler : IAsyncDisposable
{
    /// <summary>As vttablet's poller reads SHOW REPLICA STATUS (go/vt/vttablet/tabletserver/repltracker/poller.go).</summary>
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);

    private readonly MySqlConnectionOptions _options;
    private readonly IReplicationFlavor _flavor;
    private readonly Func<bool> _isPrimary;
    private readonly string _alias;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly BackgroundLoop _loop;
    private volatile ReplicationHealth _current = ReplicationHealth.Healthy;

    public ReplicationHealthSampler(MySqlConnectionOptions options, IReplicationFlavor flavor, Func<bool> isPrimary, string alias, ILogger logger,
        TimeProvider time, TimeSpan interval)
    {
        _options = options with { CommandTimeout = SampleTimeout, ConnectTimeout = SampleTimeout };
        _flavor = flavor;
        _isPrimary = isPrimary;
        _alias = alias;
        _logger = logger;
        _time = time;
        Interval = interval;
        _loop = new BackgroundLoop($"{alias} replication sampler", logger, RunAsync);
    }

    public TimeSpan Interval { get; }

    /// <summary>Healthy for a primary (never sampled), else the last sample's state.</summary>
    public ReplicationHealth Current => _isPrimary() ? ReplicationHealth.Healthy : _current;

    public event Action? Changed;

    public void Start() => _loop.Start();

    private async Task RunAsync(CancellationToken stopping)
    {
        MySqlConnection? connection = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    if (!_isPrimary())
                    {
                        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                        deadline.CancelAfter(SampleTimeout);
                        connection ??= await MySqlCalls.OpenAsync(_options, deadline.Token).ConfigureAwait(false);
                        var result = await connection.QueryAsync(_flavor.ReplicationStatusQuery, deadline.Token).ConfigureAwait(false);
                        Set(Evaluate(_flavor.ParseReplicationStatus(RowValues.FromResult(result))));
                    }
                    await Task.Delay(Interval, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    _logger.ReplicationSampleFailed(_alias, e.Message);
                    connection?.Dispose();
                    connection = null;
                    try
                    {
                        await Task.Delay(Interval, _time, stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>The health of a replica with this replication status (null: not configured as a replica).</summary>
    public static ReplicationHealth Evaluate(Replicationdata.Status? status) =>
        status is null || status.IoState != ReplicationThreadState.Running || status.SqlState != ReplicationThreadState.Running
            ? new ReplicationHealth(ReplicationHealth.NotRunning, 0)
            : new ReplicationHealth("", status.ReplicationLagSeconds);

    private void Set(ReplicationHealth next)
    {
        var before = _current;
        _current = next;
        if (before.Error != next.Error)
        {
            _logger.ReplicationHealthChanged(_alias, next.Error.Length == 0 ? "replicating" : next.Error);
            Changed?.Invoke();
        }
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
