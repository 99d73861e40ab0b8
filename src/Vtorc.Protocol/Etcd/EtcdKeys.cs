using System.Text;
using Google.Protobuf;

namespace Vtorc.Protocol.Etcd;

/// <summary>Key helpers for the etcd v3 API: keys are raw bytes, a prefix scan ends at prefix-end.</summary>
public static class EtcdKeys
{
    private static readonly ByteString AllKeysFromStart = ByteString.CopyFrom(0);

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>
    /// The smallest key greater than every key starting with <paramref name="prefix"/>: drop trailing 0xff bytes and
    /// increment the last remaining one. A prefix of only 0xff bytes (or empty) has no such key, so the end is "\0"
    /// which etcd reads as "every key from the start key on".
    /// </summary>
    public static ByteString PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xff)
            {
                var end = prefix[..(i + 1)].ToArray();
                end[i]++;
                return ByteString.CopyFrom(end);
            }
        }
        return AllKeysFromStart;
    }

    public static ByteString PrefixEnd(ByteString prefix) => PrefixEnd(prefix.Span);

    public static ByteString PrefixEnd(string prefix) => PrefixEnd(Encoding.UTF8.GetBytes(prefix));

    /// <summary>Readable form of a key for error messages; invalid UTF-8 is shown with replacement characters.</summary>
    public static string Display(ByteString key) => key.IsEmpty ? "" : Encoding.UTF8.GetString(key.Span);
}
