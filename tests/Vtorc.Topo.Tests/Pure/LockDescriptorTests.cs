using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class LockDescriptorTests
{
    [Fact]
    public void Json_matches_go_marshal_indent_byte_for_byte()
    {
        var d = new LockDescriptor(
            "VTOrc Recovery for DeadPrimary on zone1-0000000101", "host1", "vitess",
            new DateTimeOffset(2026, 8, 19, 10, 48, 52, 750, TimeSpan.Zero));
        Assert.Equal(
            "{\n  \"Action\": \"VTOrc Recovery for DeadPrimary on zone1-0000000101\",\n  \"HostName\": \"host1\",\n  \"UserName\": \"vitess\",\n  \"Time\": \"2026-08-19T10:48:52Z\",\n  \"Options\": {},\n  \"Status\": \"Running\"\n}",
            d.ToJson());
    }

    [Theory]
    [InlineData(2, 0, "2026-08-19T10:48:52+02:00")]
    [InlineData(-5, -30, "2026-08-19T10:48:52-05:30")]
    [InlineData(0, 0, "2026-08-19T10:48:52Z")]
    public void Time_is_rfc3339_at_its_own_offset(int hours, int minutes, string expected)
    {
        var t = new DateTimeOffset(2026, 8, 19, 10, 48, 52, new TimeSpan(hours, minutes, 0));
        Assert.Equal(expected, LockDescriptor.FormatRfc3339(t));
    }

    [Fact]
    public void Strings_are_escaped_like_go_encoding_json()
    {
        var d = new LockDescriptor("a\"b\\c\n<x>&\u0001\té\u2028", "h", "u", DateTimeOffset.UnixEpoch);
        Assert.Contains("\"Action\": \"a\\\"b\\\\c\\n\\u003cx\\u003e\\u0026\\u0001\\té\\u2028\",", d.ToJson());
    }

    [Fact]
    public void TryParse_reads_back_what_ToJson_wrote()
    {
        var d = new LockDescriptor("PlannedReparentShard(a)", "host", "me", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)));
        Assert.Equal(d, LockDescriptor.TryParse(d.ToJson()));
        Assert.Null(LockDescriptor.TryParse("participant-1"));
    }

    [Fact]
    public void ForThisProcess_fills_host_and_user()
    {
        var d = LockDescriptor.ForThisProcess("x", DateTimeOffset.UnixEpoch);
        Assert.False(string.IsNullOrEmpty(d.HostName));
        Assert.False(string.IsNullOrEmpty(d.UserName));
        Assert.Equal("Running", d.Status);
    }
}
