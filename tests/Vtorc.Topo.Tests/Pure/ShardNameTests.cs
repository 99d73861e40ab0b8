using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class ShardNameTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("main")]
    [InlineData("shard_1")]
    public void A_name_without_a_dash_is_not_a_key_range(string name)
    {
        var shard = ShardName.Parse(name);
        Assert.False(shard.IsKeyRange);
        Assert.Null(shard.Start);
        Assert.Null(shard.End);
        Assert.Equal(name, shard.Name);
    }

    [Theory]
    [InlineData("-", "", "")]
    [InlineData("-80", "", "80")]
    [InlineData("80-", "80", "")]
    [InlineData("40-80", "40", "80")]
    [InlineData("4000-80", "4000", "80")]
    [InlineData("A0-C0", "a0", "c0")]
    public void Key_range_names_decode_their_hex_halves(string name, string startHex, string endHex)
    {
        var shard = ShardName.Parse(name);
        Assert.True(shard.IsKeyRange);
        Assert.Equal(Convert.FromHexString(startHex), shard.Start);
        Assert.Equal(Convert.FromHexString(endHex), shard.End);
        Assert.Equal(name.ToLowerInvariant(), shard.Name);
        Assert.Equal(shard.Name, KeyRangeText.Format(shard.Start, shard.End));
    }

    [Theory]
    [InlineData("80-40", "not strictly smaller")]
    [InlineData("80-80", "not strictly smaller")]
    [InlineData("8-", "odd number")]
    [InlineData("zz-", "not hexadecimal")]
    [InlineData("-40-80", "only one '-'")]
    [InlineData("", "empty")]
    [InlineData("a/b", "not allowed")]
    public void Bad_shard_names_fail_with_a_message_quoting_them(string name, string reason)
    {
        var e = Assert.ThrowsAny<Exception>(() => ShardName.Parse(name));
        Assert.True(e is FormatException or ArgumentException);
        Assert.Contains($"\"{name}\"", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.False(ShardName.TryParse(name, out _));
    }

    [Fact]
    public void Start_is_compared_as_unsigned_bytes()
    {
        // 0x7f < 0x80 unsigned; a signed comparison would reverse them.
        Assert.True(ShardName.Parse("7f-80").IsKeyRange);
        Assert.Throws<FormatException>(() => ShardName.Parse("80-7f"));
    }
}
