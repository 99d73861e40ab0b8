using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The reparents operators start from the page, with their steps (tables <c>operator_reparent</c> and
/// <c>operator_reparent_steps</c>). Writes never throw: a reparent must go on, and report its own result, whether or
/// not the store can record it, so a failed write is logged and reported as null or false. Reads throw
/// <see cref="StoreException"/> as the recovery history's do.
/// </summary>
public sealed class OperatorReparentHistory(StoreDatabase database, ILogger logger)
{
    public const string Planned = "planned";
    public const string Emergency = "emergency";

    private const string Columns =
        "reparent_id, kind, keyspace, shard, requested_by, requested_primary, start_reparent, end_reparent, is_successful, " +
        "new_primary, previous_primary, error";

    /// <summary>Records a reparent as running; its id, or null when the store could not record it (logged).</summary>
    public async Task<long?> StartAsync(string kind, string keyspace, string shard, string requestedBy, string requestedPrimary,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunAsync((connection, ct) => SqlCommands.ScalarAsync(connection, null,
                "INSERT INTO operator_reparent (kind, keyspace, shard, requested_by, requested_primary, start_reparent) " +
                "VALUES ($kind, $keyspace, $shard, $by, $primary, $at) RETURNING reparent_id", ct,
                ("$kind", kind), ("$keyspace", keyspace), ("$shard", shard), ("$by", requestedBy), ("$primary", requestedPrimary),
                ("$at", StoreTime.ToText(now))), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException)
        {
            logger.OperatorReparentWriteFailed(e, "start", $"{kind} reparent of {keyspace}/{shard}");
            return null;
        }
    }

    /// <summary>Appends a step; false when it could not be recorded (logged).</summary>
    public Task<bool> AddStepAsync(long reparentId, DateTimeOffset at, string message, CancellationToken cancellationToken) =>
        WriteAsync(reparentId, "a step", "INSERT INTO operator_reparent_steps (reparent_id, audit_at, message) VALUES ($id, $at, $message)",
            cancellationToken, ("$at", StoreTime.ToText(at)), ("$message", message));

    /// <summary>Records the end: success with the new and previous primary, or the error; false when it could not be recorded (logged).</summary>
    public Task<bool> EndAsync(long reparentId, bool isSuccessful, string newPrimary, string previousPrimary, string error, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        WriteAsync(reparentId, "the end", "UPDATE operator_reparent SET end_reparent = $at, is_successful = $ok, new_primary = $new, " +
            "previous_primary = $previous, error = $error WHERE reparent_id = $id AND end_reparent IS NULL", cancellationToken,
            ("$at", StoreTime.ToText(now)), ("$ok", isSuccessful ? 1 : 0), ("$new", newPrimary), ("$previous", previousPrimary), ("$error", error));

    /// <summary>
    /// Ends the reparents a previous process left running (it stopped before they ended, e.g. killed): at start, none of
    /// this process's can be running. Returns how many; -1 when the store failed (logged).
    /// </summary>
    public async Task<int> EndAbandonedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null,
                "UPDATE operator_reparent SET end_reparent = $at, error = $error WHERE end_reparent IS NULL", ct,
                ("$at", StoreTime.ToText(now)), ("$error", "abandoned: the orchestrator stopped before this reparent ended; check the shard")),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException)
        {
            logger.OperatorReparentWriteFailed(e, "the end", "reparents left running by the previous process");
            return -1;
        }
    }

    /// <summary>The newest <paramref name="count"/> reparents of one shard with their steps, newest first.</summary>
    /// <exception cref="StoreException">The store failed.</exception>
    public async Task<IReadOnlyList<OperatorReparentRecord>> ReadShardAsync(string keyspace, string shard, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        try
        {
            return await database.RunAsync(async (connection, ct) =>
            {
                var reparents = new List<OperatorReparentRecord>();
                await using (var command = SqlCommands.Create(connection,
                    $"SELECT {Columns} FROM operator_reparent WHERE keyspace = $keyspace AND shard = $shard ORDER BY reparent_id DESC LIMIT $count",
                    null, ("$keyspace", keyspace), ("$shard", shard), ("$count", count)))
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        reparents.Add(Read(reader));
                }
                if (reparents.Count == 0)
                    return (IReadOnlyList<OperatorReparentRecord>)reparents;
                var steps = await ReadStepsAsync(connection, reparents.Select(r => r.ReparentId), ct).ConfigureAwait(false);
                return reparents.Select(r => r with { Steps = steps.TryGetValue(r.ReparentId, out var s) ? s : [] }).ToList();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"reading the operator reparents of {keyspace}/{shard} failed: {ex.Message}", ex);
        }
    }

    private async Task<bool> WriteAsync(long reparentId, string what, string sql, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        try
        {
            await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null, sql, ct, [("$id", reparentId), .. parameters]),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException)
        {
            logger.OperatorReparentWriteFailed(e, what, $"operator reparent {reparentId}");
            return false;
        }
    }

    private static OperatorReparentRecord Read(SqliteDataReader reader) => new()
    {
        ReparentId = reader.GetInt64(0),
        Kind = reader.GetString(1),
        Keyspace = reader.GetString(2),
        Shard = reader.GetString(3),
        RequestedBy = reader.GetString(4),
        RequestedPrimary = reader.GetString(5),
        StartReparent = StoreTime.Parse(reader.GetString(6)),
        EndReparent = StoreTime.ParseOrNull(SqlCommands.NullableText(reader, 7)),
        IsSuccessful = reader.GetInt64(8) != 0,
        NewPrimary = reader.GetString(9),
        PreviousPrimary = reader.GetString(10),
        Error = reader.GetString(11),
    };

    private static async Task<Dictionary<long, List<OperatorReparentStepRecord>>> ReadStepsAsync(SqliteConnection connection,
        IEnumerable<long> reparentIds, CancellationToken cancellationToken)
    {
        // Ids are our own integers, so inlining them is safe and keeps one round trip.
        await using var command = SqlCommands.Create(connection,
            "SELECT reparent_step_id, reparent_id, audit_at, message FROM operator_reparent_steps " +
            $"WHERE reparent_id IN ({string.Join(',', reparentIds)}) ORDER BY reparent_step_id", null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var steps = new Dictionary<long, List<OperatorReparentStepRecord>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var step = new OperatorReparentStepRecord(reader.GetInt64(0), reader.GetInt64(1), StoreTime.Parse(reader.GetString(2)), reader.GetString(3));
            if (!steps.TryGetValue(step.ReparentId, out var list))
                steps[step.ReparentId] = list = [];
            list.Add(step);
        }
        return steps;
    }
}
