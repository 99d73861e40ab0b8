using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Query;
using Topodata;
using Vtorc.Reparent.TabletManager;
using Vtorc.Topo;

namespace Vtorc.Orchestrator.Tests.Discovery;

/// <summary>
/// A fake source of health streams for unit tests of the listener: each stream a listener opens is a channel the test
/// writes messages (or a failure) into; <see cref="Opened"/> counts the opens per alias.
/// </summary>
internal sealed class ScriptedHealthStreams : ITabletHealthStreams
{
    private readonly ConcurrentDictionary<string, Channel<StreamHealthResponse>> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _opened = new(StringComparer.Ordinal);

    /// <summary>When set, every open fails at once with this exception.</summary>
    public Exception? FailOpensWith { get; set; }

    public int Opened(string alias) => _opened.GetValueOrDefault(alias);

    public async IAsyncEnumerable<StreamHealthResponse> StreamHealthAsync(Tablet tablet, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string alias = tablet.Alias.ToText();
        _opened.AddOrUpdate(alias, 1, (_, n) => n + 1);
        if (FailOpensWith is { } failure)
        {
            throw failure;
        }
        var channel = Channel.CreateUnbounded<StreamHealthResponse>();
        _current[alias] = channel;
        await foreach (var message in channel.Reader.ReadAllAsync(cancellationToken))
        {
            yield return message;
        }
    }

    /// <summary>Sends a message on the tablet's open stream; false when it has none.</summary>
    public bool Send(string alias, string healthError = "", uint heartbeatIntervalMs = 0) =>
        _current.TryGetValue(alias, out var channel) && channel.Writer.TryWrite(new StreamHealthResponse
        {
            Serving = healthError.Length == 0,
            RealtimeStats = new RealtimeStats { HealthError = healthError },
            HeartbeatIntervalMs = heartbeatIntervalMs,
        });

    /// <summary>Fails the tablet's open stream with <paramref name="error"/>.</summary>
    public bool Fail(string alias, Exception error) => _current.TryGetValue(alias, out var channel) && channel.Writer.TryComplete(error);
}
