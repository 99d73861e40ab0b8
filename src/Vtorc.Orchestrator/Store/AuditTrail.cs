using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// <c>AuditOperation</c> (go/vt/vtorc/inst/audit_dao.go): the file when <c>--audit-file-location</c> is set, the
/// <c>audit</c> table when <c>--audit-to-backend</c>, and the normal log when no file took it (syslog is not
/// supported). Failures are logged, never thrown.
/// </summary>
public sealed class AuditTrail(StoreDatabase database, bool toBackend, AuditFileWriter? file, ILogger logger)
{
    private long _writes;
    private volatile bool _toBackend = toBackend;

    /// <summary><c>--audit-to-backend</c>; VTOrc reads it on every entry (a dynamic setting), so it can change while running.</summary>
    public bool ToBackend
    {
        get => _toBackend;
        set => _toBackend = value;
    }

    /// <summary>The <c>AuditWrite</c> counter.</summary>
    public long AuditWrites => Interlocked.Read(ref _writes);

    /// <summary>Returns false when a sink that should have taken the entry failed (the failure is logged).</summary>
    public async Task<bool> AuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var ok = true;
        var tookIt = file is not null && file.Enqueue(entry.ToFileLine());
        if (file is not null && !tookIt)
            ok = false;

        if (_toBackend)
        {
            try
            {
                await database.RunAsync((connection, ct) => SqlCommands.ExecuteAsync(connection, null,
                    "INSERT INTO audit (audit_timestamp, audit_type, alias, message, keyspace, shard) " +
                    "VALUES ($at, $type, $alias, $message, $keyspace, $shard)", ct,
                    ("$at", StoreTime.ToText(entry.Timestamp)), ("$type", entry.AuditType), ("$alias", entry.Alias),
                    ("$message", entry.Message), ("$keyspace", entry.Keyspace), ("$shard", entry.Shard)),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex)
            {
                logger.AuditBackendWriteFailed(ex, entry.ToLogText());
                ok = false;
            }
            catch (ObjectDisposedException)
            {
                logger.AuditAfterStoreClosed(entry.ToLogText());
                ok = false;
            }
        }

        if (!tookIt)
            logger.AuditEntry(entry.AuditType, entry.Alias, entry.Keyspace, entry.Shard, entry.Message);
        Interlocked.Increment(ref _writes);
        return ok;
    }
}
