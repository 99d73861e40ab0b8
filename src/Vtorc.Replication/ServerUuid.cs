using System.Buffers.Binary;

namespace Vtorc.Replication;

/// <summary>
/// A MySQL server UUID (the source id of a GTID). Stored as its 16 raw bytes packed big-endian into two
/// 64-bit halves, so comparing the halves as unsigned numbers orders UUIDs by their raw bytes — the order
/// Vitess uses when it writes a GTID set.
/// </summary>
public readonly struct ServerUuid : IEquatable<ServerUuid>, IComparable<ServerUuid>
{
    /// <summary>Length of the textual form 8-4-4-4-12.</summary>
    public const int TextLength = 36;

    private readonly ulong _high;
    private readonly ulong _low;

    public ServerUuid(ulong high, ulong low)
    {
        _high = high;
        _low = low;
    }

    public ulong High => _high;
    public ulong Low => _low;

    public static ServerUuid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
        {
            throw new ArgumentException($"A server UUID has 16 bytes, got {bytes.Length}.", nameof(bytes));
        }
        return new ServerUuid(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _high);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _low);
    }

    /// <summary>The same UUID as a <see cref="Guid"/> built from the raw bytes in network (big-endian) order.</summary>
    public Guid ToGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteBytes(bytes);
        return new Guid(bytes, bigEndian: true);
    }

    public static ServerUuid FromGuid(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return FromBytes(bytes);
    }

    /// <summary>Parses the 8-4-4-4-12 hex form (either case). Throws <see cref="FormatException"/> quoting the input.</summary>
    public static ServerUuid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var uuid, out var problem))
        {
            throw new FormatException($"Invalid server UUID \"{text}\": {problem}.");
        }
        return uuid;
    }

    public static bool TryParse(ReadOnlySpan<char> text, out ServerUuid uuid) => TryParse(text, out uuid, out _);

    /// <summary>Parses the 8-4-4-4-12 form; on failure <paramref name="problem"/> says what is wrong (without quoting).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ServerUuid uuid, out string? problem)
    {
        uuid = default;
        if (text.Length != TextLength)
        {
            problem = $"a UUID has {TextLength} characters (8-4-4-4-12 hex digits), this one has {text.Length}";
            return false;
        }
        ulong high = 0, low = 0;
        int digits = 0;
        for (int i = 0; i < TextLength; i++)
        {
            char c = text[i];
            if (i is 8 or 13 or 18 or 23)
            {
                if (c != '-')
                {
                    problem = $"expected '-' at UUID character {i} but found '{c}'";
                    return false;
                }
                continue;
            }
            int nibble = HexValue(c);
            if (nibble < 0)
            {
                problem = $"UUID character {i} '{c}' is not a hex digit";
                return false;
            }
            if (digits < 16)
            {
                high = (high << 4) | (uint)nibble;
            }
            else
            {
                low = (low << 4) | (uint)nibble;
            }
            digits++;
        }
        uuid = new ServerUuid(high, low);
        problem = null;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Writes the lower-case 8-4-4-4-12 form (36 characters).</summary>
    public void Format(Span<char> destination)
    {
        const string hex = "0123456789abcdef";
        int pos = 0;
        for (int digit = 0; digit < 32; digit++)
        {
            if (digit is 8 or 12 or 16 or 20)
            {
                destination[pos++] = '-';
            }
            ulong half = digit < 16 ? _high : _low;
            int shift = 60 - 4 * (digit & 15);
            destination[pos++] = hex[(int)((half >> shift) & 0xF)];
        }
    }

    public override string ToString() => string.Create(TextLength, this, static (span, uuid) => uuid.Format(span));

    public int CompareTo(ServerUuid other)
    {
        int c = _high.CompareTo(other._high);
        return c != 0 ? c : _low.CompareTo(other._low);
    }

    public bool Equals(ServerUuid other) => _high == other._high && _low == other._low;
    public override bool Equals(object? obj) => obj is ServerUuid other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public static bool operator ==(ServerUuid left, ServerUuid right) => left.Equals(right);
    public static bool operator !=(ServerUuid left, ServerUuid right) => !left.Equals(right);
    public static bool operator <(ServerUuid left, ServerUuid right) => left.CompareTo(right) < 0;
    public static bool operator >(ServerUuid left, ServerUuid right) => left.CompareTo(right) > 0;
    public static bool operator <=(ServerUuid left, ServerUuid right) => left.CompareTo(right) <= 0;
    public static bool operator >=(ServerUuid left, ServerUuid right) => left.CompareTo(right) >= 0;
}
