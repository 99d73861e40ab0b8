using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vtorc.Orchestrator.Store;

/// <summary>
/// What operators read later, kept in SQLite: detections, recoveries and steps, audit, analysis changelog, the
/// recovery switches (global, per keyspace, per shard), acknowledgements and the operators' reparents. Observations are not here; they live in memory. A thin facade over
/// one class per concern, sharing one <see cref="StoreDatabase"/>.
/// </summary>
public sealed class HistoryStore : IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly AuditFileWriter? _auditFile;
    private int _disposed;

    private HistoryStore(StoreDatabase database, AuditFileWriter? auditFile, StoreOptions options, ILogger logger)
    {
        _database = database;
        _auditFile = auditFile;
        Recoveries = new RecoveryHistory(database, logger);
        OperatorReparents = new OperatorReparentHistory(database, logger);
        Acknowledgements = new RecoveryAcknowledgements(database);
        GlobalDisable = new GlobalRecoveryDisable(database, logger);
        DisableSwitches = new RecoveryDisableSwitches(database);
        AuditTrail = new AuditTrail(database, options.AuditToBackend, auditFile, logger);
        Changelog = new AnalysisChangelog(database, options.RecoveryPollDuration, logger);
        Retention = new HistoryRetention(database, logger);
        State = new DatabaseStateReader(database);
    }

    public StoreLocation Location => _database.Location;
    public RecoveryHistory Recoveries { get; }
    public OperatorReparentHistory OperatorReparents { get; }
    public RecoveryAcknowledgements Acknowledgements { get; }
    public GlobalRecoveryDisable GlobalDisable { get; }
    public RecoveryDisableSwitches DisableSwitches { get; }
    public AuditTrail AuditTrail { get; }
    public AnalysisChangelog Changelog { get; }
    public HistoryRetention Retention { get; }
    public DatabaseStateReader State { get; }

    /// <summary>
    /// Opens the store described by the flags. A data file or audit file that cannot be opened (missing directory,
    /// no permission, not a database, newer schema) fails with <see cref="StoreOpenException"/> naming it.
    /// </summary>
    public static async Task<HistoryStore> OpenAsync(StoreOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var location = StoreLocation.FromFlag(options.SqliteDataFile);
        var database = await StoreDatabase.OpenAsync(location, options.BusyTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var auditFile = string.IsNullOrEmpty(options.AuditFileLocation) ? null : AuditFileWriter.Open(options.AuditFileLocation, logger);
            return new HistoryStore(database, auditFile, options, logger);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The facade's verbs, named as the recovery pipeline and the API use them.

    public Task<long> RecordDetectionAsync(string alias, string analysis, string keyspace, string shard, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        Recoveries.RecordDetectionAsync(alias, analysis, keyspace, shard, now, cancellationToken);

    public Task<RegistrationResult> AttemptRecoveryRegistrationAsync(string alias, string analysis, string keyspace, string shard,
        long detectionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Recoveries.AttemptRecoveryRegistrationAsync(alias, analysis, keyspace, shard, detectionId, now, cancellationToken);

    public Task<bool> AddRecoveryStepAsync(long recoveryId, string message, DateTimeOffset now, CancellationToken cancellationToken) =>
        Recoveries.AddRecoveryStepAsync(recoveryId, message, now, cancellationToken);

    public Task<bool> ResolveRecoveryAsync(long recoveryId, RecoveryResolutionRecord resolution, DateTimeOffset now, CancellationToken cancellationToken) =>
        Recoveries.ResolveRecoveryAsync(recoveryId, resolution, now, cancellationToken);

    public Task<IReadOnlyList<RecoveryRecord>> ReadRecentRecoveriesAsync(int page, CancellationToken cancellationToken,
        int count = RecoveryHistory.RecentRecoveriesPageSize) =>
        Recoveries.ReadRecentRecoveriesAsync(page, cancellationToken, count);

    public Task<IReadOnlyList<RecoveryRecord>> ReadShardRecoveriesAsync(string keyspace, string shard, int count, CancellationToken cancellationToken) =>
        Recoveries.ReadShardRecoveriesAsync(keyspace, shard, count, cancellationToken);

    public Task<RecoveryRecord?> ReadRecoveryAsync(long recoveryId, CancellationToken cancellationToken) =>
        Recoveries.ReadRecoveryAsync(recoveryId, cancellationToken);

    public Task<CompletedRecoveryRecord?> LastCompletedShardWideRecoveryAsync(string keyspace, string shard, CancellationToken cancellationToken) =>
        Recoveries.LastCompletedShardWideRecoveryAsync(keyspace, shard, cancellationToken);

    public Task<int> AcknowledgeRecoveryAsync(long recoveryId, string acknowledgedBy, string comment, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        Acknowledgements.AcknowledgeRecoveryAsync(recoveryId, acknowledgedBy, comment, now, cancellationToken);

    public Task<int> AcknowledgeShardAsync(string keyspace, string shard, string acknowledgedBy, string comment, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        Acknowledgements.AcknowledgeShardAsync(keyspace, shard, acknowledgedBy, comment, now, cancellationToken);

    public Task<bool> IsGlobalRecoveryDisabledAsync(CancellationToken cancellationToken) =>
        GlobalDisable.IsGlobalRecoveryDisabledAsync(cancellationToken);

    public Task DisableGlobalRecoveriesAsync(CancellationToken cancellationToken) =>
        GlobalDisable.DisableGlobalRecoveriesAsync(cancellationToken);

    public Task EnableGlobalRecoveriesAsync(CancellationToken cancellationToken) =>
        GlobalDisable.EnableGlobalRecoveriesAsync(cancellationToken);

    /// <inheritdoc cref="RecoveryDisableSwitches.ReadAsync"/>
    public Task<IReadOnlyList<Recovery.RecoveryDisable>> ReadRecoveryDisablesAsync(CancellationToken cancellationToken) =>
        DisableSwitches.ReadAsync(cancellationToken);

    /// <inheritdoc cref="RecoveryDisableSwitches.DisableAsync"/>
    public Task DisableRecoveriesAsync(Recovery.RecoveryScope scope, string disabledBy, string reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        DisableSwitches.DisableAsync(scope, disabledBy, reason, now, cancellationToken);

    /// <inheritdoc cref="RecoveryDisableSwitches.EnableAsync"/>
    public Task<bool> EnableRecoveriesAsync(Recovery.RecoveryScope scope, CancellationToken cancellationToken) =>
        DisableSwitches.EnableAsync(scope, cancellationToken);

    public Task<bool> AuditAsync(string auditType, string alias, string keyspace, string shard, string message, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        AuditTrail.AuditAsync(new AuditEntry(now, auditType, alias, keyspace, shard, message), cancellationToken);

    public Task<bool> RecordAnalysisChangeAsync(string alias, string analysis, DateTimeOffset now, CancellationToken cancellationToken) =>
        Changelog.RecordAnalysisChangeAsync(alias, analysis, now, cancellationToken);

    /// <summary>The caretaking tick: retention deletes plus pruning of the changelog's in-memory cache.</summary>
    public Task<ExpiryResult> ExpireAsync(DateTimeOffset now, TimeSpan auditPurgeDuration, CancellationToken cancellationToken)
    {
        Changelog.ForgetExpired(now);
        return Retention.ExpireAsync(now, auditPurgeDuration, cancellationToken);
    }

    public Task<IReadOnlyList<TableState>> DatabaseStateAsync(CancellationToken cancellationToken) => State.ReadAsync(cancellationToken);

    /// <summary>Drains and flushes the audit file first, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_auditFile is not null)
            await _auditFile.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }
}
