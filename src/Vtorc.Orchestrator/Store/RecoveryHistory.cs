using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Vtorc.Orchestrator.Analysis;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// Detections, recoveries and their steps (pipeline step 4 of docs/operation-steps.md;
/// go/vt/vtorc/logic/topology_recovery_dao.go). Operations whose failure aborts a recovery throw
/// <see cref="StoreException"/>; those VTOrc only logs (steps, resolve) log and return false.
/// </summary>
public sealed class RecoveryHistory(StoreDatabase database, ILogger logger)
{
    public const int RecentRecoveriesPageSize = 20;

    private const string RecoveryColumns =
        "r.recovery_id, r.alias, r.analysis, r.keyspace, r.shard, r.detection_id, r.start_recovery, r.end_recovery, " +
        "r.is_successful, r.successor_alias, r.all_errors, a.acknowledged_by, a.comment, a.acknowledged_at";

    private const string RecoveryFrom =
        "FROM topology_recovery r LEFT JOIN recovery_acknowledgement a ON a.recovery_id = r.recovery_id";

    /// <summary>Inserts a <c>recovery_detection</c> row and returns its id.</summary>
    public async Task<long> RecordDetectionAsync(string alias, string analysis, string keyspace, string shard,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunAsync(async (connection, ct) =>
                (await SqlCommands.ScalarAsync(connection, null,
                    "INSERT INTO recovery_detection (alias, analysis, keyspace, shard, detection_timestamp) " +
                    "VALUES ($alias, $analysis, $keyspace, $shard, $at) RETURNING detection_id", ct,
                    ("$alias", alias), ("$analysis", analysis), ("$keyspace", keyspace), ("$shard", shard),
                    ("$at", StoreTime.ToText(now))).ConfigureAwait(false))!.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"recording detection of {analysis} on {alias} ({keyspace}/{shard}) failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Registers a new active recovery unless one is already active in the same keyspace/shard. The check is local
    /// to this store: across processes the shard lock is what protects.
    /// </summary>
    public async Task<RegistrationResult> AttemptRecoveryRegistrationAsync(string alias, string analysis, string keyspace,
        string shard, long detectionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await database.RunInTransactionAsync(async (connection, transaction, ct) =>
            {
                var active = await SqlCommands.ScalarAsync(connection, transaction,
                    "SELECT recovery_id FROM topology_recovery WHERE keyspace = $keyspace AND shard = $shard " +
                    "AND end_recovery IS NULL ORDER BY recovery_id LIMIT 1", ct,
                    ("$keyspace", keyspace), ("$shard", shard)).ConfigureAwait(false);
                if (active is { } activeId)
                    return RegistrationResult.Refused(activeId, keyspace, shard, analysis);

                var id = await SqlCommands.ScalarAsync(connection, transaction,
                    "INSERT INTO topology_recovery (alias, start_recovery, analysis, keyspace, shard, detection_id) " +
                    "VALUES ($alias, $at, $analysis, $keyspace, $shard, $detection) RETURNING recovery_id", ct,
                    ("$alias", alias), ("$at", StoreTime.ToText(now)), ("$analysis", analysis), ("$keyspace", keyspace),
                    ("$shard", shard), ("$detection", detectionId)).ConfigureAwait(false);
                return RegistrationResult.Registered(id!.Value);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"registering recovery of {analysis} on {alias} ({keyspace}/{shard}) failed: {ex.Message}", ex);
        }
    }

    /// <summary>Appends a step to a recovery; a failure is logged and reported as false.</summary>
    public async Task<bool> AddRecoveryStepAsync(long recoveryId, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null,
                "INSERT INTO topology_recovery_steps (recovery_id, audit_at, message) VALUES ($id, $at, $message)", ct,
                ("$id", recoveryId), ("$at", StoreTime.ToText(now)), ("$message", message)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException ex)
        {
            logger.RecoveryStepWriteFailed(ex, recoveryId, message);
            return false;
        }
    }

    /// <summary>
    /// Ends a recovery: end time, success, successor and every collected error newline-joined. Unknown ids and
    /// write failures are logged and reported as false (VTOrc's deferred resolve only logs).
    /// </summary>
    public async Task<bool> ResolveRecoveryAsync(long recoveryId, RecoveryResolutionRecord resolution, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        try
        {
            var updated = await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null,
                "UPDATE topology_recovery SET end_recovery = $at, is_successful = $ok, successor_alias = $successor, " +
                "all_errors = $errors WHERE recovery_id = $id", ct,
                ("$at", StoreTime.ToText(now)), ("$ok", resolution.IsSuccessful ? 1 : 0), ("$successor", resolution.SuccessorAlias),
                ("$errors", string.Join('\n', resolution.Errors)), ("$id", recoveryId)), cancellationToken).ConfigureAwait(false);
            if (updated == 0)
            {
                logger.RecoveryToResolveMissing(recoveryId);
                return false;
            }
            return true;
        }
        catch (SqliteException ex)
        {
            logger.RecoveryResolveFailed(ex, recoveryId);
            return false;
        }
    }

    /// <summary>Recoveries newest first, <paramref name="count"/> per page (the status page uses page 0 of 20).</summary>
    public Task<IReadOnlyList<RecoveryRecord>> ReadRecentRecoveriesAsync(int page, CancellationToken cancellationToken,
        int count = RecentRecoveriesPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return ReadRecoveriesAsync(
            $"SELECT {RecoveryColumns} {RecoveryFrom} ORDER BY r.recovery_id DESC LIMIT $count OFFSET $offset",
            cancellationToken, ("$count", count), ("$offset", (long)page * count));
    }

    /// <summary>The newest <paramref name="count"/> recoveries of one shard with their steps, newest first (the operator page's timeline).</summary>
    public Task<IReadOnlyList<RecoveryRecord>> ReadShardRecoveriesAsync(string keyspace, string shard, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return ReadRecoveriesAsync(
            $"SELECT {RecoveryColumns} {RecoveryFrom} WHERE r.keyspace = $keyspace AND r.shard = $shard ORDER BY r.recovery_id DESC LIMIT $count",
            cancellationToken, ("$keyspace", keyspace), ("$shard", shard), ("$count", count));
    }

    public async Task<RecoveryRecord?> ReadRecoveryAsync(long recoveryId, CancellationToken cancellationToken)
    {
        var found = await ReadRecoveriesAsync($"SELECT {RecoveryColumns} {RecoveryFrom} WHERE r.recovery_id = $id",
            cancellationToken, ("$id", recoveryId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>
    /// The newest finished recovery of the shard whose analysis maps to a shard-wide action (ERS/PRS), with its
    /// acknowledgement if any; null when the shard never had one. The election of a shard's first primary
    /// (ClusterHasNoPrimary) does not count: it is not a failure, and a primary lost right after it must still fail over.
    /// </summary>
    public async Task<CompletedRecoveryRecord?> LastCompletedShardWideRecoveryAsync(string keyspace, string shard,
        CancellationToken cancellationToken)
    {
        var finished = await ReadRecoveriesAsync(
            $"SELECT {RecoveryColumns} {RecoveryFrom} WHERE r.keyspace = $keyspace AND r.shard = $shard " +
            "AND r.end_recovery IS NOT NULL ORDER BY r.end_recovery DESC, r.recovery_id DESC",
            cancellationToken, withSteps: false, ("$keyspace", keyspace), ("$shard", shard)).ConfigureAwait(false);
        var last = finished.FirstOrDefault(r => RecoveryMapping.For(r.Analysis).IsShardWide && r.Analysis != AnalysisCodes.ClusterHasNoPrimary);
        return last is null ? null : new CompletedRecoveryRecord(last.RecoveryId, last.Alias, last.Analysis, last.EndRecovery!.Value, last.Acknowledgement);
    }

    private Task<IReadOnlyList<RecoveryRecord>> ReadRecoveriesAsync(string sql, CancellationToken cancellationToken,
        params (string, object?)[] parameters) => ReadRecoveriesAsync(sql, cancellationToken, withSteps: true, parameters);

    private async Task<IReadOnlyList<RecoveryRecord>> ReadRecoveriesAsync(string sql, CancellationToken cancellationToken,
        bool withSteps, params (string, object?)[] parameters)
    {
        try
        {
            return await database.RunAsync(async (connection, ct) =>
            {
                var recoveries = new List<RecoveryRecord>();
                await using (var command = SqlCommands.Create(connection, sql, null, parameters))
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        recoveries.Add(ReadRecovery(reader));
                }
                if (!withSteps || recoveries.Count == 0)
                    return (IReadOnlyList<RecoveryRecord>)recoveries;

                var steps = await ReadStepsAsync(connection, recoveries.Select(r => r.RecoveryId).ToList(), ct).ConfigureAwait(false);
                return recoveries.Select(r => r with { Steps = steps.TryGetValue(r.RecoveryId, out var s) ? s : [] }).ToList();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"reading recoveries failed: {ex.Message}", ex);
        }
    }

    private static RecoveryRecord ReadRecovery(SqliteDataReader reader)
    {
        var recoveryId = reader.GetInt64(0);
        var acknowledgedBy = SqlCommands.NullableText(reader, 11);
        return new RecoveryRecord
        {
            RecoveryId = recoveryId,
            Alias = reader.GetString(1),
            Analysis = reader.GetString(2),
            Keyspace = reader.GetString(3),
            Shard = reader.GetString(4),
            DetectionId = reader.GetInt64(5),
            StartRecovery = StoreTime.Parse(reader.GetString(6)),
            EndRecovery = StoreTime.ParseOrNull(SqlCommands.NullableText(reader, 7)),
            IsSuccessful = reader.GetInt64(8) != 0,
            SuccessorAlias = SqlCommands.NullableText(reader, 9) ?? "",
            AllErrors = reader.GetString(10),
            Acknowledgement = acknowledgedBy is null
                ? null
                : new RecoveryAcknowledgement(recoveryId, acknowledgedBy, reader.GetString(12), StoreTime.Parse(reader.GetString(13))),
        };
    }

    private static async Task<Dictionary<long, List<RecoveryStepRecord>>> ReadStepsAsync(SqliteConnection connection,
        IReadOnlyList<long> recoveryIds, CancellationToken cancellationToken)
    {
        // Ids are our own integers, so inlining them is safe and keeps one round trip per page.
        var idList = string.Join(',', recoveryIds);
        await using var command = SqlCommands.Create(connection,
            "SELECT recovery_step_id, recovery_id, audit_at, message FROM topology_recovery_steps " +
            $"WHERE recovery_id IN ({idList}) ORDER BY recovery_step_id", null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var steps = new Dictionary<long, List<RecoveryStepRecord>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var step = new RecoveryStepRecord(reader.GetInt64(0), reader.GetInt64(1), StoreTime.Parse(reader.GetString(2)), reader.GetString(3));
            if (!steps.TryGetValue(step.RecoveryId, out var list))
                steps[step.RecoveryId] = list = [];
            list.Add(step);
        }
        return steps;
    }
}
