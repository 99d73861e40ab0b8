namespace Vtorc.Topo;

/// <summary>How relative topo paths become etcd keys (docs/wire-format.md, "Topology in etcd").</summary>
internal static class TopoKeys
{
    /// <summary>The key of a file: <c>path.Join(root, relative)</c>.</summary>
    public static string File(string root, string relativePath) => GoPath.Join(root, relativePath);

    /// <summary>
    /// The prefix of a directory listing: <c>path.Join(root, dir) + "/"</c>; listing the root "/" itself gives "/".
    /// </summary>
    public static string DirectoryPrefix(string root, string dir)
    {
        var joined = GoPath.Join(root, dir);
        return joined == "/" ? "/" : joined + "/";
    }

    /// <summary>
    /// The key prefix of a prefix scan: <c>path.Join(root, prefix)</c>, keeping a trailing '/' (which stays inside a
    /// directory).
    /// </summary>
    public static string ListPrefix(string root, string prefix) => GoPath.Join(root, prefix) + (prefix.EndsWith('/') ? "/" : "");

    /// <summary>The key prefix of a lock queue's entries: <c>{root}/{resource}/locks/</c>.</summary>
    public static string LockQueuePrefix(string root, string resourcePath) => File(root, TopoPaths.LockQueue(resourcePath)) + "/";
}
