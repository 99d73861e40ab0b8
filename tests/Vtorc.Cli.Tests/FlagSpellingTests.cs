using Vtorc.Cli.Flags;

namespace Vtorc.Cli.Tests;

public class FlagSpellingTests
{
    [Theory]
    [InlineData("--topo_global_server_address", "--topo-global-server-address")]
    [InlineData("--topo_global_root=/vitess/my_root", "--topo-global-root=/vitess/my_root")]
    [InlineData("--lock-timeout", "--lock-timeout")]
    [InlineData("commerce/0", "commerce/0")]
    [InlineData("zone_1", "zone_1")]
    [InlineData("-h", "-h")]
    public void Normalize_rewrites_only_flag_names(string input, string expected)
    {
        Assert.Equal([expected], FlagSpelling.Normalize([input]));
    }

    [Fact]
    public void Normalize_leaves_everything_after_double_dash_alone()
    {
        Assert.Equal(["--a-b", "--", "--c_d"], FlagSpelling.Normalize(["--a_b", "--", "--c_d"]));
    }
}
