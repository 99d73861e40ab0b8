using Vtorc.Topo;

namespace Vtorc.Orchestrator.Discovery;

/// <summary>
/// One directory the <see cref="TopologyWatcher"/> watches (the global <c>keyspaces/</c>, a cell's <c>tablets/</c>):
/// where it lives, how to read it in full, and how one change to a key under it is applied through
/// <see cref="TopologyRefresher"/>'s own methods.
/// </summary>
internal abstract class TopologyWatchScope
{
    /// <summary>What the logs call it.</summary>
    public abstract string Name { get; }

    /// <summary>The watched directory, relative to the connection's root.</summary>
    public abstract string Directory { get; }

    /// <summary>The connection serving the scope (looked up again at every (re)connect: a cell's address may change).</summary>
    public abstract Task<ITopoConnection> ConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Reads the whole scope and applies it (after a compaction, or when no start revision is known).</summary>
    /// <returns>True when the scope was read.</returns>
    public abstract Task<bool> RereadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies one change; <paramref name="relativeKey"/> is the key below the watched directory.
    /// </summary>
    /// <returns>False when the key is not a record this scope tracks (a lock entry, a VSchema, …).</returns>
    /// <exception cref="TopoException"><see cref="TopoErrorKind.Corrupt"/> when the value is not the record it should be (naming the key).</exception>
    public abstract bool Apply(TopoChange change, string relativeKey);
}
