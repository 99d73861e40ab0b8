namespace Vtorc.Topo;

/// <summary>How relative topo paths become etcd keys (docs/wire-format.md, "Topology in etcd").</summary>
public static class TopoKeys
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
}
