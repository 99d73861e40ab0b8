using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcTimeoutTests
{
    public static TheoryData<TimeSpan, string> Encodings => new()
    {
        { TimeSpan.FromSeconds(15), "15000000u" },
        { TimeSpan.Zero, "0n" },
        { TimeSpan.FromSeconds(-3), "0n" },
        { TimeSpan.FromTicks(1), "100n" },
        { TimeSpan.FromTicks(999_999), "99999900n" },
        { TimeSpan.FromMilliseconds(100), "100000u" },
        { TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1), "1000001u" },
        { TimeSpan.FromHours(1), "3600000m" },
        { TimeSpan.FromDays(2), "172800S" },
        { TimeSpan.FromDays(20_000), "28800000M" },
        { TimeSpan.MaxValue, "99999999H" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Encode_uses_the_finest_unit_that_fits_in_eight_digits(TimeSpan timeout, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Encode(timeout));
    }

    [Fact]
    public void Encode_rounds_up_so_the_deadline_is_never_shortened()
    {
        // 100 s + 100 ns: in µs that is 100000001 (9 digits), so milliseconds, rounded up rather than truncated.
        var timeout = TimeSpan.FromSeconds(100) + TimeSpan.FromTicks(1);

        Assert.Equal("100001m", GrpcTimeout.Encode(timeout));
    }

    [Theory]
    [InlineData("15000000u", 15_000_000_0L)]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("4m", 40_000L)]
    [InlineData("5u", 50L)]
    [InlineData("150n", 2L)]
    [InlineData("0n", 0L)]
    [InlineData("99999999H", 99_999_999L * 36_000_000_000L)]
    public void Parse_reads_every_unit(string text, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(text, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("S")]
    [InlineData("5x")]
    [InlineData("-5S")]
    [InlineData("5 S")]
    [InlineData("123456789n")]
    [InlineData("1.5S")]
    public void Parse_rejects_malformed_values(string text)
    {
        Assert.False(GrpcTimeout.TryParse(text, out _));
    }

    [Fact]
    public void Encode_then_parse_never_shortens_and_overshoots_by_less_than_one_unit()
    {
        var random = new Random(12345);
        for (var i = 0; i < 10_000; i++)
        {
            var timeout = TimeSpan.FromTicks(random.NextInt64(1, TimeSpan.FromDays(400).Ticks) >> random.Next(0, 40));
            var text = GrpcTimeout.Encode(timeout);

            Assert.True(GrpcTimeout.TryParse(text, out var parsed), text);
            Assert.True(parsed >= timeout, $"{timeout} encoded as {text} parsed as {parsed}");
            Assert.True(parsed - timeout < UnitOf(text[^1]), $"{timeout} encoded as {text} parsed as {parsed}");
            Assert.InRange(text.Length, 2, 9);
        }
    }

    private static TimeSpan UnitOf(char unit) => unit switch
    {
        'n' or 'u' => TimeSpan.FromTicks(10),
        'm' => TimeSpan.FromMilliseconds(1),
        'S' => TimeSpan.FromSeconds(1),
        'M' => TimeSpan.FromMinutes(1),
        _ => TimeSpan.FromHours(1),
    };
}
