namespace Vtorc.Orchestrator.Store;

/// <summary>The flags that shape the history store (go/vt/vtorc/config/config.go).</summary>
public sealed record StoreOptions
{
    /// <summary>The Vitess default of <c>--sqlite-data-file</c>; it, like an empty value, means an in-memory store.</summary>
    public const string VitessInMemoryDefault = "file::memory:?mode=memory&cache=shared";

    /// <summary><c>--sqlite-data-file</c>: empty or an in-memory spelling keeps history for the process lifetime only.</summary>
    public string SqliteDataFile { get; init; } = "";

    /// <summary><c>--audit-to-backend</c>: audit entries also go to the <c>audit</c> table.</summary>
    public bool AuditToBackend { get; init; }

    /// <summary><c>--audit-file-location</c>: when set, audit entries are appended to this file.</summary>
    public string AuditFileLocation { get; init; } = "";

    /// <summary><c>--recovery-poll-duration</c>; twice this is how long a seen analysis code suppresses changelog writes.</summary>
    public TimeSpan RecoveryPollDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a write waits for another process holding the file (our own writes are serialised).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
