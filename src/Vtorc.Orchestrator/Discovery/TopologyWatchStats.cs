namespace Vtorc.Orchestrator.Discovery;

/// <summary>Counters of what the <see cref="TopologyWatcher"/> did, for tests and the logs. Thread-safe.</summary>
public sealed class TopologyWatchStats
{
    private long _streamsOpened;
    private long _changesApplied;
    private long _fullRereads;
    private long _badRecords;
    private long _stalls;

    /// <summary>Watch streams opened (first opens and re-opens).</summary>
    public long StreamsOpened => Interlocked.Read(ref _streamsOpened);

    /// <summary>Changes to tracked records applied to the discovery state.</summary>
    public long ChangesApplied => Interlocked.Read(ref _changesApplied);

    /// <summary>Full re-reads of a scope (no start revision, or it was compacted).</summary>
    public long FullRereads => Interlocked.Read(ref _fullRereads);

    /// <summary>Changes skipped because the record could not be decoded or applied.</summary>
    public long BadRecords => Interlocked.Read(ref _badRecords);

    /// <summary>Streams dropped because etcd stayed silent past the stall timeout.</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    internal void StreamOpened() => Interlocked.Increment(ref _streamsOpened);

    internal void ChangeApplied() => Interlocked.Increment(ref _changesApplied);

    internal void FullReread() => Interlocked.Increment(ref _fullRereads);

    internal void BadRecord() => Interlocked.Increment(ref _badRecords);

    internal void Stall() => Interlocked.Increment(ref _stalls);
}
