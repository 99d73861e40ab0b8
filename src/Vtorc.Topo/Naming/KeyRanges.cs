using Google.Protobuf;
using Topodata;

namespace Vtorc.Topo;

/// <summary>Conversions between shard names and <see cref="KeyRange"/> messages.</summary>
public static class KeyRanges
{
    /// <summary>The KeyRange of a range shard; null for a non-range shard such as <c>0</c> (the field stays absent).</summary>
    public static KeyRange? ToKeyRange(this ShardName shard) =>
        shard.Start is null || shard.End is null
            ? null
            : new KeyRange { Start = ByteString.CopyFrom(shard.Start), End = ByteString.CopyFrom(shard.End) };

    /// <summary>The KeyRange a shard name stands for; null for a non-range name. Bad names throw (quoted).</summary>
    public static KeyRange? FromShardName(string shard) => ShardName.Parse(shard).ToKeyRange();

    /// <summary><c>40-80</c>, <c>-80</c>, <c>-</c> …</summary>
    public static string ToText(this KeyRange range) => KeyRangeText.Format(range.Start.Span, range.End.Span);
}
