using Mvccpb;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// <see cref="ITopoDirectoryWatch"/> on an etcd watch stream of a key prefix. A start revision that etcd has
/// compacted fails the opening or the read as <see cref="TopoErrorKind.Compacted"/> (docs/etcd-client.md, "Watches").
/// </summary>
internal sealed class EtcdDirectoryWatch : ITopoDirectoryWatch
{
    private readonly EtcdWatch _watch;

    private EtcdDirectoryWatch(EtcdWatch watch, string prefix)
    {
        _watch = watch;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public string Endpoint => _watch.Endpoint;

    public TimeSpan SinceLastResponse => _watch.SinceLastResponse;

    /// <summary>
    /// Opens the watch of <paramref name="prefix"/> from <paramref name="startRevision"/> (inclusive) and returns once
    /// etcd confirmed it; the opening has the connection's operation deadline and tries every endpoint.
    /// </summary>
    public static async Task<EtcdDirectoryWatch> OpenAsync(EtcdClient client, string prefix, long startRevision, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startRevision, 1);
        var watch = await TopoErrors.Run("Watch", prefix, () =>
            client.WatchPrefixAsync(prefix, startRevision, timeout, cancellationToken)).ConfigureAwait(false);
        return new EtcdDirectoryWatch(watch, prefix);
    }

    public async Task<IReadOnlyList<TopoChange>?> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await TopoErrors.Run("Watch", Prefix, async () => await _watch.ReadAsync(cancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }
        return [.. response.Events.Select(e => e.Type == Event.Types.EventType.Delete
            ? new TopoChange(e.Kv.Key.ToStringUtf8(), null, e.Kv.ModRevision, 0)
            : new TopoChange(e.Kv.Key.ToStringUtf8(), e.Kv.Value, e.Kv.ModRevision, e.Kv.Lease))];
    }

    public Task RequestProgressAsync(CancellationToken cancellationToken) =>
        TopoErrors.Run("WatchProgress", Prefix, async () =>
        {
            await _watch.RequestProgressAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public ValueTask DisposeAsync() => _watch.DisposeAsync();
}
