using System.Data;
using MySqlConnector;
using Replicationdata;
using Vtorc.Agent.Flavors;
using Vtorc.Agent.MySql;
using Vtorc.Replication;

namespace Vtorc.Agent.Manager;

/// <summary>
/// The replication operations the RPCs are made of, run on the agent's mysqld with the statements of its
/// <see cref="IReplicationFlavor"/>. No SQL is written here; every statement comes from the flavor.
/// </summary>
public sealed class MySqlActions
{
    private readonly MySqlConnectionPool _pool;
    private readonly SemiSyncStallTracker _stall;
    private readonly SourceSilenceTracker _silence = new();
    private readonly TimeProvider _time;

    /// <summary>Added to a server-side wait so that the statement's own timeout never ends it first.</summary>
    private static readonly TimeSpan WaitMargin = TimeSpan.FromSeconds(5);

    public MySqlActions(MySqlConnectionPool pool, MySqlFlavor server, TimeSpan? semiSyncStallThreshold = null, TimeProvider? time = null)
    {
        _pool = pool;
        Server = server;
        Flavor = ReplicationFlavors.For(server);
        _stall = new SemiSyncStallTracker(semiSyncStallThreshold ?? SemiSyncStallTracker.DefaultThreshold);
        _time = time ?? TimeProvider.System;
    }

    public MySqlFlavor Server { get; }

    /// <summary>The flavor with the default quoting; statements with user values are built per connection.</summary>
    public IReplicationFlavor Flavor { get; }

    public string Endpoint => _pool.Options.Endpoint;

    /// <summary>Runs <paramref name="statements"/> in order on one connection, stopping at the first error.</summary>
    public Task ExecuteAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            await RunAllAsync(connection, statements, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The replica status, or null when this mysqld is not a replica.</summary>
    public Task<Status?> ReplicationStatusAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync((connection, cancellationToken) => ReadReplicationStatusAsync(connection, cancellationToken), cancellationToken);

    /// <summary>The replica status with the semi-sync fields 26–29 filled (StopReplicationAndGetStatus), or null.</summary>
    public Task<Status?> ReplicationStatusWithSemiSyncAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var status = await ReadReplicationStatusAsync(connection, cancellationToken).ConfigureAwait(false);
            if (status is not null)
            {
                (await ReadSemiSyncAsync(connection, cancellationToken).ConfigureAwait(false)).ApplyTo(status);
                if (Flavor.BinlogStateQuery is { } binlogStateQuery)
                {
                    // ERS compares the candidates' binlog states to find one that diverged (our extension, field 10001).
                    var state = await connection.QueryAsync(binlogStateQuery, cancellationToken).ConfigureAwait(false);
                    status.GtidBinlogState = state.SingleRowOrDefault()?[0] ?? "";
                }
            }
            return status;
        }, cancellationToken);

    /// <summary>The primary status, or null when the binary log is off.</summary>
    public Task<PrimaryStatus?> PrimaryStatusAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var variables = await ShowAsync(connection, Flavor.FullStatusVariablesQuery, cancellationToken).ConfigureAwait(false);
            return await ReadPrimaryStatusAsync(connection, StatusValueOrEmpty(variables, "server_uuid"), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>This server's executed position (PrimaryPosition).</summary>
    public Task<ReplicationPosition> CurrentPositionAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync((connection, cancellationToken) => ReadCurrentPositionAsync(connection, cancellationToken), cancellationToken);

    /// <summary>The FullStatus fields mysqld provides (tablet_type and the agent's own fields are left to the caller).</summary>
    public Task<FullStatus> FullStatusAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            // One round trip for all five (each returns a result set): FullStatus is what the orchestrator polls.
            var results = await connection.QueryEachAsync([Flavor.FullStatusVariablesQuery, Flavor.FullStatusStatusQuery, Flavor.ReplicationStatusQuery,
                Flavor.PrimaryStatusQuery, Flavor.CurrentPositionQuery], cancellationToken).ConfigureAwait(false);
            var variables = ServerVariables.ToDictionary(RowValues.FromResult(results[0]));
            var status = ServerVariables.ToDictionary(RowValues.FromResult(results[1]));
            var replicationRows = RowValues.FromResult(results[2]);
            var replication = Flavor.ParseReplicationStatus(replicationRows);
            var primary = PrimaryStatusFrom(results[3], results[4], StatusValueOrEmpty(variables, "server_uuid"));
            var full = Flavor.BuildFullStatus(new FullStatusInputs(variables, status, replication, primary));
            full.SemiSyncBlocked = _stall.Observe(Flavor.ParseSemiSync(variables, status), _time.GetUtcNow());
            if (_silence.Observe(Flavor.SourceContactMarker(replicationRows), _time.GetElapsedTime(0)) is { } silence)
            {
                full.SourceSilenceSeconds = silence.TotalSeconds;
            }
            return full;
        }, cancellationToken);

    public Task<SemiSyncState> SemiSyncAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync((connection, cancellationToken) => ReadSemiSyncAsync(connection, cancellationToken), cancellationToken);

    /// <summary>
    /// Sets the primary and replica sides of semi-sync (installing plugins where the server needs them). When the
    /// replica side changed and the IO thread runs, replication is restarted so the source learns of it.
    /// Returns true when anything changed.
    /// </summary>
    public Task<bool> SetSemiSyncAsync(bool primary, bool replica, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            if (Flavor.SemiSyncPluginQuery is { } pluginQuery)
            {
                var plugins = await connection.QueryAsync(pluginQuery, cancellationToken).ConfigureAwait(false);
                var loaded = plugins.Rows.Select(r => r[0] ?? "").ToArray();
                await RunAllAsync(connection, Flavor.InstallSemiSyncPlugins(loaded), cancellationToken).ConfigureAwait(false);
            }
            var before = await ReadSemiSyncAsync(connection, cancellationToken).ConfigureAwait(false);
            if (before.PrimaryEnabled == primary && before.ReplicaEnabled == replica
                && (!primary || before.PrimaryTimeoutMilliseconds >= SemiSyncSettings.InfiniteTimeoutMilliseconds))
            {
                return false;
            }
            await RunAllAsync(connection, Flavor.SetSemiSync(primary, replica), cancellationToken).ConfigureAwait(false);
            if (before.ReplicaEnabled != replica)
            {
                var status = await ReadReplicationStatusAsync(connection, cancellationToken).ConfigureAwait(false);
                if (status is { IoState: ReplicationThreadState.Running or ReplicationThreadState.Connecting })
                {
                    await RunAllAsync(connection, Flavor.StopIoThread(), cancellationToken).ConfigureAwait(false);
                    await RunAllAsync(connection, Flavor.StartReplication(), cancellationToken).ConfigureAwait(false);
                }
            }
            return true;
        }, cancellationToken);

    /// <summary>
    /// Tries to switch read_only (and super_read_only where the server has it) on, waiting at most
    /// <paramref name="lockWaitSeconds"/> for commits and metadata locks in progress (on MariaDB the switch waits for
    /// every commit, including one waiting for a semi-sync acknowledgement). False when that wait ran out.
    /// </summary>
    public Task<bool> TrySetReadOnlyAsync(int lockWaitSeconds, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            await connection.ExecuteAsync(ClientConnections.SetLockWait(lockWaitSeconds), cancellationToken).ConfigureAwait(false);
            try
            {
                await RunAllAsync(connection, Flavor.SetReadOnly(true, superReadOnly: true), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (MySqlCallException e) when (e.ErrorCode == MySqlErrorCode.LockWaitTimeout)
            {
                return false;
            }
            finally
            {
                if (connection.State == ConnectionState.Open)
                {
                    await connection.ExecuteAsync(ClientConnections.ResetLockWait, cancellationToken).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    /// <summary>read_only as the server reports it now (MySQL: super_read_only must be on too).</summary>
    public Task<bool> ReadOnlyAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var result = await connection.QueryAsync(Flavor.ReadOnlyQuery, cancellationToken).ConfigureAwait(false);
            var row = RowValues.FromResult(result)[0];
            var readOnly = IsOn(row.GetText("read_only"));
            return Flavor.SupportsSuperReadOnly ? readOnly && IsOn(row.GetText("super_read_only")) : readOnly;
        }, cancellationToken);

    /// <summary>
    /// Kills the client connections in <paramref name="scope"/> except the one used here. A killed client gets an error,
    /// never an acknowledgement. Returns "id user command" of each connection killed.
    /// </summary>
    public Task<IReadOnlyList<string>> KillClientConnectionsAsync(ClientKillScope scope, CancellationToken cancellationToken) =>
        _pool.RunAsync<IReadOnlyList<string>>(async (connection, cancellationToken) =>
        {
            var killed = new List<string>();
            foreach (var (id, description) in await ClientsAsync(connection, scope, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await connection.ExecuteAsync(ClientConnections.Kill(id), cancellationToken).ConfigureAwait(false);
                    killed.Add(description);
                }
                catch (MySqlCallException e) when (e.ErrorCode == MySqlErrorCode.NoSuchThread)
                {
                    // Gone by itself meanwhile.
                }
            }
            return killed;
        }, cancellationToken);

    /// <summary>"id user command" of each client connection whose commit waits for a semi-sync acknowledgement.</summary>
    public Task<IReadOnlyList<string>> SemiSyncWaitersAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync<IReadOnlyList<string>>(async (connection, cancellationToken) =>
            (await ClientsAsync(connection, ClientKillScope.SemiSyncWaiters, cancellationToken).ConfigureAwait(false)).Select(c => c.Description).ToList(),
            cancellationToken);

    private static async Task<List<(long Id, string Description)>> ClientsAsync(MySqlConnection connection, ClientKillScope scope, CancellationToken cancellationToken)
    {
        var result = await connection.QueryAsync(ClientConnections.ListQuery, cancellationToken).ConfigureAwait(false);
        var clients = new List<(long, string)>();
        foreach (var row in RowValues.FromResult(result))
        {
            var user = row.GetText("USER");
            var command = row.GetText("COMMAND");
            var waits = ClientConnections.WaitsForSemiSyncAck(row.GetText("STATE"));
            var wanted = scope switch
            {
                ClientKillScope.SemiSyncWaiters => waits,
                ClientKillScope.AllButSemiSyncWaiters => !waits,
                _ => true,
            };
            if (ClientConnections.IsClient(user, command) && wanted)
            {
                var id = long.Parse(row.GetText("ID"), System.Globalization.CultureInfo.InvariantCulture);
                clients.Add((id, $"{id} {user} {command}"));
            }
        }
        return clients;
    }

    /// <summary>Drops the pooled connections (after mysqld was killed they are all broken).</summary>
    public void ForgetConnections() => _pool.Clear();

    /// <summary>mysqld's pid file as a path on this host (pid_file is relative to datadir when not absolute).</summary>
    public Task<string> PidFilePathAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var result = await connection.QueryAsync(ServerProcess.PidFileQuery, cancellationToken).ConfigureAwait(false);
            var row = RowValues.FromResult(result)[0];
            var pidFile = row.GetText("pid_file");
            var path = Path.IsPathRooted(pidFile) ? pidFile : Path.Combine(row.GetText("datadir"), pidFile);
            Volatile.Write(ref _knownPidFilePath, path);
            return path;
        }, cancellationToken);

    /// <summary>
    /// The pid file path last read from mysqld, null until then: a mysqld that no longer answers cannot be asked for
    /// it, yet it is exactly the one a fence may have to kill.
    /// </summary>
    public string? KnownPidFilePath => Volatile.Read(ref _knownPidFilePath);

    private string? _knownPidFilePath;

    /// <summary>
    /// Whether mysqld stays silent for all of <paramref name="bound"/>: a new connection gets no greeting, or
    /// <c>SELECT 1</c> no answer (a stopped or hung process; the kernel still accepts its connections). Any answer,
    /// an error such as "connection refused" included, is not silence. A connection of its own: pooled ones may be
    /// stuck in the very calls that make the server look dead.
    /// </summary>
    public async Task<bool> StaysSilentForAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(bound);
        try
        {
            // Not pooled: a new connection, whose greeting is part of the answer.
            await MySqlCalls.RunOwnedAsync(_pool.Options, pooled: false,
                // No token for the statement: killing it on a server that does not answer would only hold a thread.
                (connection, _) => connection.QueryAsync("SELECT 1", CancellationToken.None), deadline.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        catch (MySqlCallException)
        {
            return false;
        }
    }

    /// <summary>Sets the replica net timeout (docs/reliability.md, "Silence is not health").</summary>
    public Task SetReplicaNetTimeoutAsync(int seconds, CancellationToken cancellationToken) =>
        ExecuteAsync(Flavor.SetReplicaNetTimeout(seconds), cancellationToken);

    /// <summary>read_only on (with super_read_only where the server has it) or both off.</summary>
    public Task SetReadOnlyAsync(bool readOnly, CancellationToken cancellationToken) =>
        ExecuteAsync(Flavor.SetReadOnly(readOnly, superReadOnly: readOnly), cancellationToken);

    /// <summary>Points replication at <paramref name="source"/> (values quoted for the connection).</summary>
    public Task SetSourceAsync(ReplicationSourceSettings source, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var flavor = ReplicationFlavors.For(Server, await connection.StringQuoterAsync(cancellationToken).ConfigureAwait(false));
            await RunAllAsync(connection, flavor.SetReplicationSource(source), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Makes replication start from <paramref name="position"/> (InitReplica).</summary>
    public Task SetReplicationPositionAsync(ReplicationPosition position, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var flavor = ReplicationFlavors.For(Server, await connection.StringQuoterAsync(cancellationToken).ConfigureAwait(false));
            await RunAllAsync(connection, flavor.SetReplicationPosition(position), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Blocks in the server until it has applied <paramref name="position"/> or <paramref name="timeout"/> passed.</summary>
    public Task<PositionWaitOutcome> WaitForPositionAsync(ReplicationPosition position, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var wait = Flavor.WaitForPosition(position, timeout);
        return _pool.RunAsync(async (connection, cancellationToken) =>
        {
            // The statement blocks in the server for up to the wait: its own timeout outlasts it.
            var result = await connection.QueryAsync(wait.Sql, cancellationToken, commandTimeout: timeout + WaitMargin).ConfigureAwait(false);
            return wait.Interpret(result.Rows.Count > 0 ? result.Rows[0][0] : null);
        }, cancellationToken);
    }

    /// <summary>Creates <c>_vt.reparent_journal</c> if missing and inserts one row (on a primary).</summary>
    public Task InsertJournalRowAsync(long timeCreatedNs, string action, string primaryAlias, string position, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            var quote = await connection.StringQuoterAsync(cancellationToken).ConfigureAwait(false);
            await WriteBinlogAsync(connection, [.. ReparentJournal.CreateStatements(), ReparentJournal.Insert(timeCreatedNs, action, primaryAlias, position, quote)])
                .ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Creates the sidecar database, the journal and the semi-sync heartbeat tables when missing.</summary>
    public Task CreateJournalAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, _) =>
        {
            await WriteBinlogAsync(connection, [.. ReparentJournal.CreateStatements(), .. SemiSyncHeartbeat.CreateStatements()]).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs writes that go to the binary log (DDL, the journal row) with neither token nor timeout: on a semi-sync
    /// primary they may wait for an acknowledgement, and a <c>KILL QUERY</c> of such a wait (what the driver sends on
    /// cancellation or timeout) makes MariaDB commit the write unacknowledged (docs/reliability.md, "Unacknowledged
    /// commits of an old primary"). The RPC still returns at its deadline (<see cref="MySqlConnectionPool.RunAsync"/>);
    /// the write goes on waiting in the server, as any client's would, until acknowledged or fenced.
    /// </summary>
    private static async Task WriteBinlogAsync(MySqlConnection connection, IReadOnlyList<string> statements)
    {
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(statement, CancellationToken.None, commandTimeout: Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the journal row of <paramref name="timeCreatedNs"/> has arrived (no journal yet: false).</summary>
    public Task<bool> JournalRowExistsAsync(long timeCreatedNs, CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            try
            {
                var result = await connection.QueryAsync(ReparentJournal.RowExistsQuery(timeCreatedNs), cancellationToken).ConfigureAwait(false);
                return result.Rows.Count > 0;
            }
            catch (MySqlCallException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
            {
                return false;
            }
        }, cancellationToken);

    /// <summary>The number of journal rows (no journal yet: 0).</summary>
    public Task<int> JournalLengthAsync(CancellationToken cancellationToken) =>
        _pool.RunAsync(async (connection, cancellationToken) =>
        {
            try
            {
                var result = await connection.QueryAsync(ReparentJournal.CountQuery, cancellationToken).ConfigureAwait(false);
                return ReparentJournal.ParseCount(result.Rows.Count > 0 ? result.Rows[0][0] : null);
            }
            catch (MySqlCallException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
            {
                return 0;
            }
        }, cancellationToken);

    /// <summary>SHOW GLOBAL STATUS for <paramref name="names"/> (all when empty).</summary>
    public Task<IReadOnlyDictionary<string, string>> GlobalStatusAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var query = ServerVariables.GlobalStatusQuery(names);
        return _pool.RunAsync((connection, cancellationToken) => ShowAsync(connection, query, cancellationToken), cancellationToken);
    }

    private async Task<Status?> ReadReplicationStatusAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var result = await connection.QueryAsync(Flavor.ReplicationStatusQuery, cancellationToken).ConfigureAwait(false);
        return Flavor.ParseReplicationStatus(RowValues.FromResult(result));
    }

    private async Task<PrimaryStatus?> ReadPrimaryStatusAsync(MySqlConnection connection, string serverUuid, CancellationToken cancellationToken)
    {
        var results = await connection.QueryEachAsync([Flavor.PrimaryStatusQuery, Flavor.CurrentPositionQuery], cancellationToken).ConfigureAwait(false);
        return PrimaryStatusFrom(results[0], results[1], serverUuid);
    }

    private PrimaryStatus? PrimaryStatusFrom(MySqlResult status, MySqlResult position, string serverUuid) =>
        Flavor.ParsePrimaryStatus(status.Rows.Count > 0 ? RowValues.FromResult(status)[0] : null, position.Rows.Count > 0 ? position.Rows[0][0] : null,
            serverUuid);

    private async Task<ReplicationPosition> ReadCurrentPositionAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var result = await connection.QueryAsync(Flavor.CurrentPositionQuery, cancellationToken).ConfigureAwait(false);
        return Flavor.ParseCurrentPosition(result.Rows.Count > 0 ? result.Rows[0][0] : null);
    }

    private async Task<SemiSyncState> ReadSemiSyncAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var variables = await ShowAsync(connection, Flavor.FullStatusVariablesQuery, cancellationToken).ConfigureAwait(false);
        var status = await ShowAsync(connection, Flavor.FullStatusStatusQuery, cancellationToken).ConfigureAwait(false);
        return Flavor.ParseSemiSync(variables, status);
    }

    private static async Task<IReadOnlyDictionary<string, string>> ShowAsync(MySqlConnection connection, string query, CancellationToken cancellationToken)
    {
        var result = await connection.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return ServerVariables.ToDictionary(RowValues.FromResult(result));
    }

    private static async Task RunAllAsync(MySqlConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            await connection.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsOn(string value) => value.Trim() is "1" or "ON" or "on";

    private static string StatusValueOrEmpty(IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) ? value : "";
}
