using Topodata;
using Vtorc.Topo;

namespace Vtorc.Reparent.Tests;

public class TabletAliasOrderTests
{
    [Theory]
    [InlineData("zone1-0000000100", "zone1-0000000101", -1)]
    [InlineData("zone1-99", "zone1-0000000100", -1)]
    [InlineData("zone1-100", "zone2-1", -1)]
    [InlineData("zone2-1", "zone1-100", 1)]
    [InlineData("us-east-1-5", "us-east-1-10", -1)]
    [InlineData("zone1-0000000100", "zone1-0000000100", 0)]
    public void Orders_by_cell_then_uid_numerically(string x, string y, int expectedSign)
    {
        Assert.Equal(expectedSign, Math.Sign(TabletAliasOrder.Instance.Compare(x, y)));
    }

    [Fact]
    public void Same_uid_written_differently_still_orders_deterministically()
    {
        Assert.NotEqual(0, TabletAliasOrder.Instance.Compare("zone1-100", "zone1-0000000100"));
    }

    [Fact]
    public void Malformed_aliases_fall_back_to_ordinal_order_instead_of_throwing()
    {
        Assert.True(TabletAliasOrder.Instance.Compare("nodash", "zone1-1") < 0);
    }

    [Theory]
    [InlineData("us-east-1-0000000007", "us-east-1", 7u)]
    [InlineData("zone1-100", "zone1", 100u)]
    public void Splits_on_the_last_dash(string alias, string cell, uint uid)
    {
        Assert.True(TabletAliasText.TrySplit(alias, out var c, out var u));
        Assert.Equal(cell, c.ToString());
        Assert.Equal(uid, u);
    }

    [Theory]
    [InlineData("zone1")]
    [InlineData("-100")]
    [InlineData("zone1-")]
    [InlineData("zone1-12a")]
    [InlineData("zone1-99999999999")]
    public void Rejects_malformed_aliases(string alias)
    {
        Assert.False(TabletAliasText.TrySplit(alias, out _, out _));
        var error = Assert.Throws<FormatException>(() => TabletInfo.FromAlias(alias, TabletType.Replica));
        Assert.Contains($"\"{alias}\"", error.Message);
    }

    [Fact]
    public void TabletInfo_takes_its_cell_from_the_alias()
    {
        var tablet = TabletInfo.FromAlias("us-east-1-0000000007", TabletType.Rdonly);
        Assert.Equal("us-east-1", tablet.Cell);
        Assert.Equal("us-east-1-0000000007 (RDONLY)", tablet.ToString());
    }
}
