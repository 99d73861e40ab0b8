namespace Vtorc.Protocol.Tests.Wire;

/// <summary>Old records and old Vitess releases say MASTER and BATCH; they share numbers with PRIMARY and RDONLY.</summary>
public sealed class TabletTypeAliasTests
{
    [Fact]
    public void Type_1_parses_as_primary_which_is_master()
    {
        var tablet = Topodata.Tablet.Parser.ParseFrom(new byte[] { 0x40, 0x01 });

        Assert.Equal(Topodata.TabletType.Primary, tablet.Type);
        Assert.Equal(Topodata.TabletType.Master, tablet.Type);
    }

    [Fact]
    public void Type_3_parses_as_rdonly_which_is_batch()
    {
        var tablet = Topodata.Tablet.Parser.ParseFrom(new byte[] { 0x40, 0x03 });

        Assert.Equal(Topodata.TabletType.Rdonly, tablet.Type);
        Assert.Equal(Topodata.TabletType.Batch, tablet.Type);
    }

    [Theory]
    [InlineData("MASTER", 1)]
    [InlineData("PRIMARY", 1)]
    [InlineData("BATCH", 3)]
    [InlineData("RDONLY", 3)]
    [InlineData("DRAINED", 8)]
    public void Enum_names_carry_the_spec_numbers(string name, int number)
    {
        var tabletType = Topodata.TopodataReflection.Descriptor.EnumTypes.Single(e => e.FullName == "topodata.TabletType");

        var value = tabletType.FindValueByName(name);

        Assert.NotNull(value);
        Assert.Equal(number, value.Number);
    }
}
