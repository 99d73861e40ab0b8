using System.Text;

namespace Vtorc.Topo;

/// <summary>How relative topo paths become etcd keys and key ranges (wire.md §1.2, §1.4).</summary>
public static class EtcdKeys
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
    /// The end of the range of all keys starting with <paramref name="prefix"/>: trailing 0xff bytes dropped, then
    /// the last byte incremented; a prefix of only 0xff bytes (or empty) gives the single byte 0 (meaning "to the end").
    /// </summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < 0xff)
            {
                var end = prefix[..(i + 1)].ToArray();
                end[i]++;
                return end;
            }
        }

        return [0];
    }

    public static byte[] PrefixEnd(string prefix) => PrefixEnd(Encoding.UTF8.GetBytes(prefix));

    public static byte[] Bytes(string key) => Encoding.UTF8.GetBytes(key);
}
