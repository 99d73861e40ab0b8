using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Tests.MySql;

public sealed class MySqlConnectionOptionsTests
{
    [Fact]
    public void Options_print_without_the_password()
    {
        var options = new MySqlConnectionOptions { Host = "db1", Port = 3307, User = "vt", Password = "s3cret" };

        var text = options.ToString();

        Assert.Contains("db1:3307", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_is_the_socket_path_when_one_is_set()
    {
        var options = new MySqlConnectionOptions { UnixSocket = "/run/mysqld/mysqld.sock" };

        Assert.Equal("/run/mysqld/mysqld.sock", options.Endpoint);
    }

    [Fact]
    public void A_zero_read_timeout_is_rejected_naming_the_setting()
    {
        var options = new MySqlConnectionOptions { CommandTimeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("CommandTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_host_without_a_socket_is_rejected()
    {
        var options = new MySqlConnectionOptions { Host = " " };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("host \" \"", error.Message, StringComparison.Ordinal);
    }
}
