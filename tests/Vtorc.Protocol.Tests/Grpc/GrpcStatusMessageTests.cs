using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcStatusMessageTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("x y%", "x y%25")]
    [InlineData("line\nbreak\ttab", "line%0Abreak%09tab")]
    [InlineData("héllo", "h%C3%A9llo")]
    [InlineData("€", "%E2%82%AC")]
    [InlineData("~ and \u007f", "~ and %7F")]
    [InlineData("", "")]
    public void Encode_passes_printable_ascii_and_escapes_the_rest_as_upper_case_utf8_hex(string message, string expected)
    {
        Assert.Equal(expected, GrpcStatusMessage.Encode(message));
    }

    [Theory]
    [InlineData("x y%")]
    [InlineData("100% done, naïve café ☕ 😀")]
    [InlineData("%25 already looks encoded")]
    [InlineData("\u0000\u0001 control")]
    [InlineData("key \"etcd/a\" not found")]
    public void Decode_inverts_encode(string message)
    {
        Assert.Equal(message, GrpcStatusMessage.Decode(GrpcStatusMessage.Encode(message)));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("100%", "100%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz tail", "%zz tail")]
    [InlineData("%G1", "%G1")]
    [InlineData("a%2", "a%2")]
    [InlineData("%e2%82%ac", "€")]
    [InlineData("%41%", "A%")]
    public void Decode_tolerates_bad_escapes_by_keeping_them(string encoded, string expected)
    {
        Assert.Equal(expected, GrpcStatusMessage.Decode(encoded));
    }

    [Fact]
    public void Decode_of_invalid_utf8_yields_replacement_characters_not_an_error()
    {
        Assert.Equal("a\uFFFDb", GrpcStatusMessage.Decode("a%C3b"));
    }

    [Fact]
    public void Decode_keeps_unencoded_non_ascii_from_a_lax_peer()
    {
        Assert.Equal("naïve 😀", GrpcStatusMessage.Decode("na%C3%AFve 😀"));
    }
}
