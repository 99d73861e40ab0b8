using System.Buffers;
using System.Text;
using System.Text.Json;
using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

/// <summary>The escaping Go's encoding/json (Go 1.22+, HTML escaping on) applies, through every way we write JSON.</summary>
public class GoJsonEncoderTests
{
    /// <summary>Every character class where encoders differ, and Go's bytes for it.</summary>
    public static TheoryData<string, string> GoEscapes => new()
    {
        { "plain", "\"plain\"" },
        { "<b>&</b>", "\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\"" },
        { "quote \" and \\", "\"quote \\\" and \\\\\"" },
        { "line\nbreak\ttab\r", "\"line\\nbreak\\ttab\\r\"" },
        { "\b\f", "\"\\b\\f\"" },
        { "\u0000\u0001\u001b\u001f", "\"\\u0000\\u0001\\u001b\\u001f\"" },
        { "\u2028\u2029", "\"\\u2028\\u2029\"" },
        { "del \u007f c1 \u0085 nbsp \u00a0", "\"del \u007f c1 \u0085 nbsp \u00a0\"" },
        { "héllo ✓ + ' `", "\"héllo ✓ + ' `\"" },
        { "\ud83d\ude00 outside the BMP", "\"\ud83d\ude00 outside the BMP\"" },
        { "a real \ufffd stays literal", "\"a real \ufffd stays literal\"" },
        { "", "\"\"" },
    };

    [Theory]
    [MemberData(nameof(GoEscapes))]
    public void Quote_escapes_like_Gos_encoder(string value, string expected) =>
        Assert.Equal(expected, GoJsonEncoder.Quote(value));

    [Theory]
    [MemberData(nameof(GoEscapes))]
    public void The_serializer_with_the_encoder_writes_the_same_bytes(string value, string expected)
    {
        var options = new JsonSerializerOptions { Encoder = GoJsonEncoder.Instance };
        Assert.Equal(expected, JsonSerializer.Serialize(value, options));
        Assert.Equal("{" + expected + ":1}", JsonSerializer.Serialize(new Dictionary<string, int> { [value] = 1 }, options));
    }

    [Theory]
    [MemberData(nameof(GoEscapes))]
    public void A_writer_with_the_encoder_writes_the_same_bytes_for_names_and_values(string value, string expected)
    {
        var json = Write(w =>
        {
            w.WriteStartObject();
            w.WriteString(value, value);
            w.WriteEndObject();
        });
        Assert.Equal("{" + expected + ":" + expected + "}", json);
    }

    /// <summary>Invalid UTF-16 (lone surrogates; kept out of theory data, whose serialisation would replace them).</summary>
    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_escape_everywhere()
    {
        var options = new JsonSerializerOptions { Encoder = GoJsonEncoder.Instance };
        foreach (var (value, expected) in new[]
        {
            ("lone high " + (char)0xD83D + "!", "\"lone high \\ufffd!\""),
            ("lone low " + (char)0xDE00 + "!", "\"lone low \\ufffd!\""),
            ("high at the end " + (char)0xD83D, "\"high at the end \\ufffd\""),
            ("two highs " + (char)0xD83D + (char)0xD83D + (char)0xDE00, "\"two highs \\ufffd\ud83d\ude00\""),
        })
        {
            Assert.Equal(expected, GoJsonEncoder.Quote(value));
            Assert.Equal(expected, JsonSerializer.Serialize(value, options));
            Assert.Equal("{" + expected + ":" + expected + "}", Write(w =>
            {
                w.WriteStartObject();
                w.WriteString(value, value);
                w.WriteEndObject();
            }));
        }
    }

    [Fact]
    public void A_parsed_document_written_again_comes_out_escaped_like_Go()
    {
        // What /api/snapshot does with a tablet record rendered by another JSON library.
        using var document = JsonDocument.Parse("{\"hostname\":\"\\u003c\\u001B\\u007F\\uD83D\\uDE00\\u2028\\u0026\"}");
        var json = Write(document.RootElement.WriteTo);
        Assert.Equal("{\"hostname\":\"\\u003c\\u001b\u007f\ud83d\ude00\\u2028\\u0026\"}", json);
    }

    [Fact]
    public void Invalid_utf8_becomes_one_replacement_escape_per_bad_byte_like_Go()
    {
        byte[] text = [(byte)'a', 0xE2, 0x82, (byte)'<', 0xFF, (byte)'b', 0xF0, 0x9F, 0x98, 0x80];
        var json = Write(w => w.WriteStringValue(text));
        Assert.Equal("\"a\\ufffd\\ufffd\\u003c\\ufffdb\ud83d\ude00\"", json);
    }

    [Fact]
    public void Long_text_that_needs_escaping_everywhere_fits()
    {
        var value = string.Concat(Enumerable.Repeat("\u2028<\u0001", 10_000));
        var expected = "\"" + string.Concat(Enumerable.Repeat("\\u2028\\u003c\\u0001", 10_000)) + "\"";
        Assert.Equal(expected, GoJsonEncoder.Quote(value));
        Assert.Equal(expected, Write(w => w.WriteStringValue(value)));
    }

    [Fact]
    public void The_lock_descriptor_quotes_with_the_encoder()
    {
        var d = new LockDescriptor("\u001b[31m\u007f", "h\ud83d\ude00", "u", DateTimeOffset.UnixEpoch);
        var json = d.ToJson();
        Assert.Contains("\"Action\": \"\\u001b[31m\u007f\",", json);
        Assert.Contains("\"HostName\": \"h\ud83d\ude00\",", json);
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
