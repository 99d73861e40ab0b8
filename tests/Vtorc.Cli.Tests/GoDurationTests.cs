using Vtorc.Orchestrator;
using Vtorc.Cli.Flags;

namespace Vtorc.Cli.Tests;

public class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0", 0)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("-5s", -5_000)]
    public void Parses_go_durations(string text, long expectedMilliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("30", "missing unit")]
    [InlineData("30sec", "unknown unit 'sec'")]
    [InlineData("s", "expected a number")]
    public void Rejects_malformed_durations_saying_why(string text, string expectedError)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Contains(expectedError, error);
    }

    [Theory]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(0, "0s")]
    [InlineData(3_600_000, "1h0m0s")]
    public void Formats_like_go(long milliseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void A_negative_flag_value_is_an_error_naming_the_flag()
    {
        var option = DurationOption.Create("--wait-replicas-timeout", TimeSpan.FromSeconds(30), "test");
        var command = new System.CommandLine.RootCommand { option.Option };
        var result = command.Parse(["--wait-replicas-timeout", "-3s"]);
        var error = Assert.Single(result.Errors);
        Assert.Contains("--wait-replicas-timeout", error.Message);
        Assert.Contains("-3s", error.Message);
    }
}

public class DurationOptionTests
{
    [Fact]
    public void Absent_flag_gives_the_default_and_a_given_one_its_value()
    {
        var option = DurationOption.Create("--lock-timeout", TimeSpan.FromSeconds(45), "test");
        var command = new System.CommandLine.RootCommand { option.Option };
        Assert.Equal(TimeSpan.FromSeconds(45), option.GetValue(command.Parse([])));
        Assert.Equal(TimeSpan.FromMinutes(2), option.GetValue(command.Parse(["--lock-timeout=2m"])));
    }

    [Fact]
    public void Help_shows_the_default_in_go_spelling()
    {
        var option = DurationOption.Create("--lock-timeout", TimeSpan.FromSeconds(45), "time allowed");
        Assert.Contains("(default 45s)", option.Option.Description);
    }
}
