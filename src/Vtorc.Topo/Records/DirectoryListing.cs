using System.Text;

namespace Vtorc.Topo;

/// <summary>
/// Turns the keys of a keys-only prefix Range (sorted by key) into directory entries, as Vitess's ListDir does
/// (go/vt/topo/etcd2topo/directory.go): strip the prefix, the first path component is the entry name, duplicates merge
/// (also when a sibling such as <c>a-x</c> sorts between <c>a</c> and <c>a/b</c>),
/// and the first key of an entry decides whether it is ephemeral.
/// </summary>
internal static class DirectoryListing
{
    public static IReadOnlyList<DirEntry> FromKeys(string prefix, IEnumerable<(byte[] Key, long Lease)> sortedKeys)
    {
        var prefixBytes = Encoding.UTF8.GetBytes(prefix);
        var entries = new List<DirEntry>();
        var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, lease) in sortedKeys)
        {
            if (!key.AsSpan().StartsWith(prefixBytes))
            {
                continue;
            }

            var rest = Encoding.UTF8.GetString(key.AsSpan(prefixBytes.Length));
            var slash = rest.IndexOf('/');
            var name = slash < 0 ? rest : rest[..slash];
            var isDirectory = slash >= 0;
            if (indexByName.TryGetValue(name, out var index))
            {
                if (isDirectory && !entries[index].IsDirectory)
                {
                    entries[index] = entries[index] with { IsDirectory = true };
                }

                continue;
            }

            indexByName[name] = entries.Count;
            entries.Add(new DirEntry(name, isDirectory, lease != 0));
        }

        return entries;
    }
}
