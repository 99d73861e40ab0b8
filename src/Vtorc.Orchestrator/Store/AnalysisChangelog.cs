using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// The analysis changelog (auditInstanceAnalysisInChangelog in go/vt/vtorc/inst/analysis_dao.go): a per-alias
/// in-memory cache suppresses repeats for twice the recovery poll, and each repeat extends the entry, so a problem
/// reported at every tick never reaches the database again; past it, <c>database_instance_last_analysis</c> decides
/// whether the code changed, and a change (or the first sighting) adds a <c>database_instance_analysis_changelog</c>
/// row. Failures are logged.
/// </summary>
public sealed class AnalysisChangelog(StoreDatabase database, TimeSpan recoveryPollDuration, ILogger logger)
{
    private readonly Dictionary<string, (string Code, DateTimeOffset Until)> _recent = new(StringComparer.Ordinal);
    private readonly Lock _recentLock = new();
    private long _writes;
    private long _databaseChecks;

    /// <summary>The <c>AnalysisChangeWrite</c> counter.</summary>
    public long AnalysisChangeWrites => Interlocked.Read(ref _writes);

    /// <summary>How many times the cache did not answer and the database was asked (VTOrc's write attempts).</summary>
    public long DatabaseChecks => Interlocked.Read(ref _databaseChecks);

    private TimeSpan CacheTtl => recoveryPollDuration * 2;

    /// <summary>Returns whether a changelog row was written.</summary>
    public async Task<bool> RecordAnalysisChangeAsync(string alias, string analysis, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        ArgumentNullException.ThrowIfNull(analysis);
        lock (_recentLock)
        {
            if (_recent.TryGetValue(alias, out var seen) && now < seen.Until && seen.Code == analysis)
            {
                // As VTOrc does, a repeat extends the entry, so a lasting problem costs no SQLite
                // transaction per tick (with 100 failing shards, 100 per tick).
                _recent[alias] = (analysis, now + CacheTtl);
                return false;
            }
        }
        Interlocked.Increment(ref _databaseChecks);

        bool written;
        try
        {
            written = await database.RunInTransactionAsync(async (connection, transaction, ct) =>
            {
                var at = StoreTime.ToText(now);
                var changed = await SqlCommands.ExecuteAsync(connection, transaction,
                    "UPDATE database_instance_last_analysis SET analysis = $analysis, analysis_timestamp = $at " +
                    "WHERE alias = $alias AND analysis <> $analysis", ct,
                    ("$alias", alias), ("$analysis", analysis), ("$at", at)).ConfigureAwait(false);
                if (changed == 0)
                {
                    changed = await SqlCommands.ExecuteAsync(connection, transaction,
                        "INSERT OR IGNORE INTO database_instance_last_analysis (alias, analysis_timestamp, analysis) " +
                        "VALUES ($alias, $at, $analysis)", ct,
                        ("$alias", alias), ("$analysis", analysis), ("$at", at)).ConfigureAwait(false);
                }
                if (changed == 0)
                    return false;
                await SqlCommands.ExecuteAsync(connection, transaction,
                    "INSERT INTO database_instance_analysis_changelog (alias, analysis_timestamp, analysis) " +
                    "VALUES ($alias, $at, $analysis)", ct,
                    ("$alias", alias), ("$analysis", analysis), ("$at", at)).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            logger.ChangelogWriteFailed(ex, analysis, alias);
            return false;
        }

        lock (_recentLock)
            _recent[alias] = (analysis, now + CacheTtl);
        if (written)
            Interlocked.Increment(ref _writes);
        return written;
    }

    /// <summary>Drops cache entries whose time is up, so forgotten tablets do not stay in memory.</summary>
    public void ForgetExpired(DateTimeOffset now)
    {
        lock (_recentLock)
        {
            foreach (var alias in _recent.Where(e => now >= e.Value.Until).Select(e => e.Key).ToList())
                _recent.Remove(alias);
        }
    }
}
