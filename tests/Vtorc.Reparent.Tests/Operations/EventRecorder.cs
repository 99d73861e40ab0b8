using System.Collections.Concurrent;
using Vtorc.Reparent.Operations;

namespace Vtorc.Reparent.Tests.Operations;

/// <summary>A synchronous progress sink that keeps every event, for assertions and for failure messages.</summary>
public sealed class EventRecorder : IProgress<ReparentEvent>
{
    private readonly ConcurrentQueue<ReparentEvent> _events = new();

    public IReadOnlyList<ReparentEvent> Events => _events.ToArray();

    public void Report(ReparentEvent value) => _events.Enqueue(value);

    public bool Has(ReparentEventKind kind, string fragment) =>
        Events.Any(e => e.Kind == kind && e.Message.Contains(fragment, StringComparison.Ordinal));

    public override string ToString() => string.Join(Environment.NewLine, Events);
}
