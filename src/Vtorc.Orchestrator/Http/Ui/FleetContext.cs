namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>The daemon-wide facts the operator page shows next to the fleet, read once per request.</summary>
/// <param name="GlobalRecoveriesDisabled">Null when the history store could not say (<paramref name="StoreError"/> says why).</param>
internal sealed record FleetContext(DateTimeOffset Now, bool DiscoveredOnce, bool? GlobalRecoveriesDisabled, string? StoreError,
    IReadOnlyDictionary<string, string> PollErrors);
