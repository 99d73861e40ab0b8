using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Vtorc.Topo;

/// <summary>
/// String escaping exactly as Go's <c>encoding/json</c> writes it with HTML escaping on (<c>json.Marshal</c>,
/// <c>json.MarshalIndent</c>; Go 1.22 and later): <c>"</c> and <c>\</c> backslashed; <c>\b \f \n \r \t</c> in short
/// form; every other control character below U+0020 as <c>\u00xx</c> with lower-case hex (<c>\u001b</c>); <c>&lt;</c>
/// <c>&gt;</c> <c>&amp;</c> U+2028 U+2029 as <c>\u003c \u003e \u0026 \u2028 \u2029</c>; invalid text (a lone surrogate,
/// a byte that is not UTF-8) as <c>\ufffd</c>; everything else literal, including DEL, C1 controls and characters
/// outside the BMP. It is the one JSON escaper of the project: the daemon's HTTP API (<c>/api/…</c>, <c>/debug/…</c>)
/// and the JSON we store in the topology go through it, so tools written against Vitess read the same bytes
/// (docs/vitess-compatibility.md, "Orchestrator"). As a <see cref="JavaScriptEncoder"/> it plugs into
/// <see cref="System.Text.Json.JsonSerializerOptions.Encoder"/> and <see cref="System.Text.Json.JsonWriterOptions.Encoder"/>.
/// </summary>
public sealed class GoJsonEncoder : JavaScriptEncoder
{
    private const string HexDigits = "0123456789abcdef";
    private const string Replacement = "\\ufffd";

    // The longest escape of one UTF-16 unit: \u2028.
    private const int LongestEscape = 6;

    private GoJsonEncoder()
    {
    }

    public static GoJsonEncoder Instance { get; } = new();

    /// <summary>A quoted JSON string of <paramref name="value"/>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        char[] buffer = ArrayPool<char>.Shared.Rent(value.Length * LongestEscape + 2);
        try
        {
            buffer[0] = '"';
            Instance.Encode(value, buffer.AsSpan(1), out _, out int written);
            buffer[written + 1] = '"';
            return new string(buffer, 0, written + 2);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public override int MaxOutputCharactersPerInputCharacter => LongestEscape;

    public override bool WillEncode(int unicodeScalar) => MustEscape(unicodeScalar) || !Rune.IsValid(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FirstToEscape(new ReadOnlySpan<char>(text, textLength));

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        int length = Rune.IsValid(unicodeScalar) ? Write(new Rune(unicodeScalar), destination) : Write(Replacement, destination);
        numberOfCharactersWritten = Math.Max(length, 0);
        return length >= 0;
    }

    public override OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten,
        bool isFinalBlock = true)
    {
        int read = 0;
        int written = 0;
        var status = OperationStatus.Done;
        while (read < source.Length)
        {
            var decoded = Rune.DecodeFromUtf16(source[read..], out var rune, out int consumed);
            if (decoded == OperationStatus.NeedMoreData && !isFinalBlock)
            {
                status = OperationStatus.NeedMoreData;
                break;
            }
            int length = decoded == OperationStatus.Done ? Write(rune, destination[written..]) : Write(Replacement, destination[written..]);
            if (length < 0)
            {
                status = OperationStatus.DestinationTooSmall;
                break;
            }
            read += consumed;
            written += length;
        }
        charsConsumed = read;
        charsWritten = written;
        return status;
    }

    public override OperationStatus EncodeUtf8(ReadOnlySpan<byte> utf8Source, Span<byte> utf8Destination, out int bytesConsumed,
        out int bytesWritten, bool isFinalBlock = true)
    {
        Span<char> escape = stackalloc char[LongestEscape];
        int read = 0;
        int written = 0;
        var status = OperationStatus.Done;
        while (read < utf8Source.Length)
        {
            var decoded = Rune.DecodeFromUtf8(utf8Source[read..], out var rune, out int consumed);
            if (decoded == OperationStatus.NeedMoreData && !isFinalBlock)
            {
                status = OperationStatus.NeedMoreData;
                break;
            }
            int length;
            if (decoded != OperationStatus.Done)
            {
                // Go replaces each byte that does not start a valid sequence on its own.
                consumed = 1;
                length = Utf8Ascii(Replacement, utf8Destination[written..]);
            }
            else if (MustEscape(rune.Value))
            {
                length = Utf8Ascii(escape[..Write(rune, escape)], utf8Destination[written..]);
            }
            else
            {
                length = rune.TryEncodeToUtf8(utf8Destination[written..], out int bytes) ? bytes : -1;
            }
            if (length < 0)
            {
                status = OperationStatus.DestinationTooSmall;
                break;
            }
            read += consumed;
            written += length;
        }
        bytesConsumed = read;
        bytesWritten = written;
        return status;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        int index = 0;
        while (index < utf8Text.Length)
        {
            if (Rune.DecodeFromUtf8(utf8Text[index..], out var rune, out int consumed) != OperationStatus.Done || MustEscape(rune.Value))
            {
                return index;
            }
            index += consumed;
        }
        return -1;
    }

    private static bool MustEscape(int scalar) => scalar < 0x20 || scalar is '"' or '\\' or '<' or '>' or '&' or 0x2028 or 0x2029;

    private static int FirstToEscape(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (MustEscape(c))
            {
                return i;
            }
            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /// <summary>Writes <paramref name="rune"/> escaped or literal; the number of chars, or -1 when it does not fit.</summary>
    private static int Write(Rune rune, Span<char> destination)
    {
        int value = rune.Value;
        if (!MustEscape(value))
        {
            return rune.TryEncodeToUtf16(destination, out int chars) ? chars : -1;
        }
        string? shortForm = value switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\f' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ => null,
        };
        if (shortForm is not null)
        {
            return Write(shortForm, destination);
        }
        if (destination.Length < LongestEscape)
        {
            return -1;
        }
        destination[0] = '\\';
        destination[1] = 'u';
        destination[2] = HexDigits[(value >> 12) & 0xF];
        destination[3] = HexDigits[(value >> 8) & 0xF];
        destination[4] = HexDigits[(value >> 4) & 0xF];
        destination[5] = HexDigits[value & 0xF];
        return LongestEscape;
    }

    private static int Write(string text, Span<char> destination) => text.AsSpan().TryCopyTo(destination) ? text.Length : -1;

    private static int Utf8Ascii(ReadOnlySpan<char> ascii, Span<byte> destination)
    {
        if (destination.Length < ascii.Length)
        {
            return -1;
        }
        for (int i = 0; i < ascii.Length; i++)
        {
            destination[i] = (byte)ascii[i];
        }
        return ascii.Length;
    }
}
