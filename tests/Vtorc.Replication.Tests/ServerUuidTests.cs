namespace Vtorc.Replication.Tests;

public sealed class ServerUuidTests
{
    [Fact]
    public void Parse_then_format_gives_lower_case_text()
    {
        Assert.Equal("3e11fa47-71ca-11e1-9e33-c80aa9429562", ServerUuid.Parse("3E11FA47-71CA-11E1-9E33-C80AA9429562").ToString());
    }

    [Fact]
    public void Order_is_raw_byte_order()
    {
        var uuids = new[] { Uuids.E, Uuids.C, Uuids.A, Uuids.D, Uuids.B }.Select(ServerUuid.Parse).ToList();
        uuids.Sort();
        Assert.Equal(new[] { Uuids.A, Uuids.B, Uuids.C, Uuids.D, Uuids.E }, uuids.Select(u => u.ToString()));
    }

    [Fact]
    public void High_bit_bytes_sort_after_low_ones()
    {
        // Unsigned comparison: 0x80… must not sort before 0x7f… as it would with signed halves.
        Assert.True(ServerUuid.Parse("80000000-0000-0000-0000-000000000000") > ServerUuid.Parse("7fffffff-ffff-ffff-ffff-ffffffffffff"));
        Assert.True(ServerUuid.Parse("00000000-0000-0000-8000-000000000000") > ServerUuid.Parse("00000000-0000-0000-7fff-ffffffffffff"));
    }

    [Fact]
    public void Bytes_and_guid_round_trip()
    {
        var uuid = ServerUuid.Parse(Uuids.C);
        Span<byte> bytes = stackalloc byte[16];
        uuid.WriteBytes(bytes);
        Assert.Equal(0x3e, bytes[0]);
        Assert.Equal(0x62, bytes[15]);
        Assert.Equal(uuid, ServerUuid.FromBytes(bytes));
        Assert.Equal(Uuids.C, uuid.ToGuid().ToString());
        Assert.Equal(uuid, ServerUuid.FromGuid(uuid.ToGuid()));
    }

    [Theory]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa942956", "36 characters")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa94295622", "36 characters")]
    [InlineData("3e11fa47x71ca-11e1-9e33-c80aa9429562", "expected '-'")]
    [InlineData("3e11fa47-71ca-11e1-9e33-c80aa942956g", "not a hex digit")]
    [InlineData("", "36 characters")]
    public void Malformed_uuid_is_rejected_with_the_input_quoted(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ServerUuid.Parse(text));
        Assert.Contains($"\"{text}\"", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
