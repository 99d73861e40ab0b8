using Vtorc.Orchestrator.Json;

namespace Vtorc.Orchestrator.Tests.Json;

public class GoJsonTextTests
{
    [Fact]
    public void Time_of_the_zero_value_is_Gos_zero_time() =>
        Assert.Equal("0001-01-01T00:00:00Z", GoJsonText.Time(default));

    [Theory]
    [InlineData(0, "2026-11-22T06:00:00Z")]
    [InlineData(1_500_000, "2026-11-22T06:00:00.15Z")]
    [InlineData(1, "2026-11-22T06:00:00.0000001Z")]
    public void Time_drops_trailing_fraction_zeros(long ticks, string expected) =>
        Assert.Equal(expected, GoJsonText.Time(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero).AddTicks(ticks)));

    [Fact]
    public void Time_keeps_a_non_UTC_offset() =>
        Assert.Equal("2026-11-22T08:00:00+02:00", GoJsonText.Time(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.FromHours(2))));

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(30.0, "30")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.00001, "0.00001")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(1.234e25, "1.234e+25")]
    public void Float_formats_like_Go(double value, string expected) =>
        Assert.Equal(expected, GoJsonText.Float(value));

    [Fact]
    public void Float_refuses_NaN() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GoJsonText.Float(double.NaN));

    [Theory]
    [InlineData("2026-11-22T06:00:00Z", 0)]
    [InlineData("2026-11-22T06:00:00.123456789Z", 1_234_567)]
    [InlineData("2026-11-22T08:00:00+02:00", 0)]
    public void Rfc3339Time_reads_Go_times(string text, long extraTicks)
    {
        Assert.True(Rfc3339Time.TryParse(text, out var time));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero).AddTicks(extraTicks), time);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22 06:00:00Z")]
    [InlineData("2026-13-22T06:00:00Z")]
    public void Rfc3339Time_rejects_other_text(string text) =>
        Assert.False(Rfc3339Time.TryParse(text, out _));
}
