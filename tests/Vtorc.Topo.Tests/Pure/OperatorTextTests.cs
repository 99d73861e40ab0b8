using Topodata;
using Vtorc.Topo;

namespace Vtorc.Topo.Tests.Pure;

public class OperatorTextTests
{
    [Theory]
    [InlineData("commerce/0", "commerce", "0")]
    [InlineData("commerce/-80", "commerce", "-80")]
    [InlineData("ks/80-C0", "ks", "80-c0")]
    public void Keyspace_shard_text_splits_and_canonicalises(string text, string keyspace, string shard) =>
        Assert.Equal((keyspace, shard), KeyspaceShardText.Parse(text));

    [Theory]
    [InlineData("commerce")]
    [InlineData("a/b/c")]
    [InlineData("/0")]
    [InlineData("ks/80-40")]
    public void Bad_keyspace_shard_text_fails_quoting_it(string text)
    {
        var e = Assert.Throws<FormatException>(() => KeyspaceShardText.Parse(text));
        Assert.Contains($"\"{text}\"", e.Message);
    }

    [Theory]
    [InlineData("primary", TabletType.Primary)]
    [InlineData("MASTER", TabletType.Primary)]
    [InlineData("Replica", TabletType.Replica)]
    [InlineData("batch", TabletType.Rdonly)]
    [InlineData("drained", TabletType.Drained)]
    public void Tablet_types_parse_case_insensitively_with_old_aliases(string text, TabletType expected) =>
        Assert.Equal(expected, TabletTypeText.Parse(text));

    [Fact]
    public void Tablet_type_names_use_the_current_spelling()
    {
        Assert.Equal("PRIMARY", TabletType.Primary.ToName());
        Assert.Equal("rdonly", TabletType.Rdonly.ToLowerName());
        var e = Assert.Throws<FormatException>(() => TabletTypeText.Parse("leader"));
        Assert.Contains("\"leader\"", e.Message);
    }
}
