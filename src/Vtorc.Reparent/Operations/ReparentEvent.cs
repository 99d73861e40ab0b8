using System.Globalization;

namespace Vtorc.Reparent.Operations;

/// <summary>
/// One step of a reparent as operators read it (CLI progress lines, recovery steps stored by the orchestrator),
/// e.g. "stopped replication on zone1-0000000101 (IO thread), position MySQL56/…".
/// </summary>
public sealed record ReparentEvent(DateTimeOffset Time, ReparentPhase Phase, ReparentEventKind Kind, string Message, string? TabletAlias = null)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Time.UtcDateTime:HH:mm:ss.fff} {Phase} {Kind}: {Message}");
}
