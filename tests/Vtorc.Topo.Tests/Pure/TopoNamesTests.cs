using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class TopoNamesTests
{
    [Theory]
    [InlineData("commerce")]
    [InlineData("Zone_1-b")]
    [InlineData("a")]
    public void Valid_names_pass(string name)
    {
        Assert.True(TopoNames.IsValid(name));
        TopoNames.ValidateKeyspace(name);
        TopoNames.ValidateCell(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("ünï")]
    public void Invalid_names_fail_naming_the_kind_and_the_name(string name)
    {
        Assert.False(TopoNames.IsValid(name));
        var e = Assert.Throws<ArgumentException>(() => TopoNames.ValidateKeyspace(name));
        Assert.Contains($"invalid keyspace name \"{name}\"", e.Message);
    }

    [Fact]
    public void Sixty_four_characters_is_the_limit()
    {
        Assert.True(TopoNames.IsValid(new string('a', 64)));
        var e = Assert.Throws<ArgumentException>(() => TopoNames.ValidateCell(new string('a', 65)));
        Assert.Contains("65 characters", e.Message);
    }

    [Fact]
    public void ValidateShard_returns_the_canonical_lower_case_name() =>
        Assert.Equal("80-c0", TopoNames.ValidateShard("80-C0"));
}
