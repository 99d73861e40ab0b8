using Mvccpb;
using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>
/// An etcd watch on every key under one directory of a topo connection (the global <c>keyspaces/</c>, a cell's
/// <c>tablets/</c>), from a given revision: the changes in etcd's order, batch by batch. There is no hidden resume:
/// when the stream ends or fails the owner opens a new one after the last revision it applied, and a start revision
/// that etcd has compacted fails the opening or the read as <see cref="TopoErrorKind.Compacted"/>
/// (docs/etcd-client.md, "Watches"). The stream has no deadline; it ends when disposed or when the read's token is
/// cancelled. <see cref="RequestProgressAsync"/> and <see cref="SinceLastResponse"/> let the owner notice a stream
/// that went silent without failing.
/// </summary>
public sealed class TopoDirectoryWatch : IAsyncDisposable
{
    private readonly EtcdWatch _watch;

    private TopoDirectoryWatch(EtcdWatch watch, string prefix)
    {
        _watch = watch;
        Prefix = prefix;
    }

    /// <summary>The full key prefix watched (ends in '/').</summary>
    public string Prefix { get; }

    /// <summary>The endpoint serving the stream.</summary>
    public string Endpoint => _watch.Endpoint;

    /// <summary>How long ago etcd last sent anything on the stream (changes or progress notices).</summary>
    public TimeSpan SinceLastResponse => _watch.SinceLastResponse;

    /// <summary>
    /// Opens the watch of <c>{root}/{dir}/</c> from <paramref name="startRevision"/> (inclusive) and returns once etcd
    /// confirmed it; the opening has the connection's operation deadline and tries every endpoint.
    /// </summary>
    /// <exception cref="TopoException"><see cref="TopoErrorKind.Compacted"/> when the start revision is gone;
    /// <see cref="TopoErrorKind.Timeout"/> when no endpoint answered; <see cref="TopoErrorKind.Interrupted"/> on cancellation.</exception>
    public static async Task<TopoDirectoryWatch> OpenAsync(TopoConnection connection, string dir, long startRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(startRevision, 1);
        var prefix = TopoKeys.DirectoryPrefix(connection.Root, dir);
        var watch = await TopoErrors.Run("Watch", prefix, () =>
            connection.Client.WatchPrefixAsync(prefix, startRevision, connection.Timeout, cancellationToken)).ConfigureAwait(false);
        return new TopoDirectoryWatch(watch, prefix);
    }

    /// <summary>The next batch of changes (never empty); null once the stream has ended (the owner re-opens it).</summary>
    /// <exception cref="TopoException"><see cref="TopoErrorKind.Compacted"/>, a broken stream (<see cref="TopoErrorKind.Timeout"/>
    /// for an unreachable endpoint), or <see cref="TopoErrorKind.Interrupted"/> when the token is cancelled.</exception>
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

    /// <summary>Asks etcd for a progress notice, which proves the stream alive (resets <see cref="SinceLastResponse"/>).</summary>
    public Task RequestProgressAsync(CancellationToken cancellationToken) =>
        TopoErrors.Run("WatchProgress", Prefix, async () =>
        {
            await _watch.RequestProgressAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });

    public ValueTask DisposeAsync() => _watch.DisposeAsync();
}
