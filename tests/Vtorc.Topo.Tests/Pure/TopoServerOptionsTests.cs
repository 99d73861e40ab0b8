using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class TopoServerOptionsTests
{
    private static readonly TopoServerOptions Valid = new() { GlobalServerAddresses = ["127.0.0.1:2379"] };

    [Fact]
    public void Defaults_are_the_vitess_flag_defaults()
    {
        Valid.Validate();
        Assert.Equal("/vitess/global", Valid.GlobalRoot);
        Assert.Equal(TimeSpan.FromSeconds(30), Valid.LockTtl);
        Assert.Equal(TimeSpan.FromSeconds(45), Valid.LockTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), Valid.OperationTimeout);
    }

    [Fact]
    public void Bad_settings_are_refused_by_name()
    {
        Assert.Contains("--topo-global-server-address", Assert.Throws<ArgumentException>(() => (Valid with { GlobalServerAddresses = [] }).Validate()).Message);
        Assert.Contains("LockTtl", Assert.Throws<ArgumentException>(() => (Valid with { LockTtl = TimeSpan.FromMilliseconds(500) }).Validate()).Message);
        Assert.Contains("LockTimeout", Assert.Throws<ArgumentException>(() => (Valid with { LockTimeout = TimeSpan.Zero }).Validate()).Message);
    }

    [Fact]
    public void Address_lists_split_on_commas()
    {
        Assert.Equal(["a:1", "b:2"], TopoServerOptions.SplitAddresses("a:1, b:2,"));
        Assert.Contains("\" , \"", Assert.Throws<ArgumentException>(() => TopoServerOptions.SplitAddresses(" , ")).Message);
    }
}
