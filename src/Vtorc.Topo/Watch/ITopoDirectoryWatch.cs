namespace Vtorc.Topo;

/// <summary>
/// A watch on every key under one directory of a topo connection (the global <c>keyspaces/</c>, a cell's
/// <c>tablets/</c>), opened by <see cref="ITopoConnection.WatchDirectoryAsync"/> from a given revision: the changes in
/// the store's order, batch by batch. There is no hidden resume: when the stream ends or fails the owner opens a new
/// one after the last revision it applied. The stream has no deadline; it ends when disposed or when the read's token
/// is cancelled. <see cref="RequestProgressAsync"/> and <see cref="SinceLastResponse"/> let the owner notice a stream
/// that went silent without failing.
/// </summary>
public interface ITopoDirectoryWatch : IAsyncDisposable
{
    /// <summary>The full key prefix watched (ends in '/').</summary>
    string Prefix { get; }

    /// <summary>The endpoint serving the stream.</summary>
    string Endpoint { get; }

    /// <summary>How long ago the store last sent anything on the stream (changes or progress notices).</summary>
    TimeSpan SinceLastResponse { get; }

    /// <summary>The next batch of changes (never empty); null once the stream has ended (the owner re-opens it).</summary>
    /// <exception cref="TopoException"><see cref="TopoErrorKind.Compacted"/>, a broken stream (<see cref="TopoErrorKind.Timeout"/>
    /// for an unreachable endpoint), or <see cref="TopoErrorKind.Interrupted"/> when the token is cancelled.</exception>
    Task<IReadOnlyList<TopoChange>?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Asks for a progress notice, which proves the stream alive (resets <see cref="SinceLastResponse"/>).</summary>
    Task RequestProgressAsync(CancellationToken cancellationToken);
}
