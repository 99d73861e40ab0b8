namespace Vtorc.Topo;

/// <summary>
/// One name in a topo "directory" (a key prefix). <see cref="IsDirectory"/>: more path follows the name in some key.
/// <see cref="IsEphemeral"/>: the first key under the name (in key order) is attached to a lease.
/// </summary>
public sealed record DirEntry(string Name, bool IsDirectory, bool IsEphemeral);
