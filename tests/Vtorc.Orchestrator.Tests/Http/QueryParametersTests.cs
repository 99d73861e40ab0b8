using Microsoft.Extensions.Primitives;
using Vtorc.Orchestrator.Http;

namespace Vtorc.Orchestrator.Tests.Http;

public sealed class QueryParametersTests
{
    private static QueryParameters Of(params (string Name, string Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, StringValues>(v.Name, v.Value)));

    [Fact]
    public void Shard_without_keyspace_is_refused_with_the_VTOrc_text()
    {
        var error = Assert.Throws<QueryParameterException>(() => Of(("shard", "0")).ShardFilter());
        Assert.Equal("Filtering by shard without keyspace isn't supported", error.Message);
    }

    [Fact]
    public void Keyspace_alone_or_with_shard_is_a_filter()
    {
        Assert.Equal(("ks", ""), Of(("keyspace", "ks")).ShardFilter());
        Assert.Equal(("ks", "-80"), Of(("keyspace", "ks"), ("shard", "-80")).ShardFilter());
        Assert.Equal(("", ""), Of().ShardFilter());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void A_bad_integer_names_the_parameter_and_quotes_the_value(string text)
    {
        var error = Assert.Throws<QueryParameterException>(() => Of(("page", text)).NonNegativeInteger("page", 0, int.MaxValue));
        Assert.Contains("page", error.Message);
        Assert.Contains($"\"{text}\"", error.Message);
    }

    [Fact]
    public void An_absent_integer_takes_the_default_and_a_present_one_is_read()
    {
        Assert.Equal(0, Of().NonNegativeInteger("page", 0));
        Assert.Equal(42, Of(("page", "42")).NonNegativeInteger("page", 0));
    }

    [Fact]
    public void A_blank_required_parameter_is_refused_by_name()
    {
        var error = Assert.Throws<QueryParameterException>(() => Of(("comment", "  ")).Required("comment", "say why"));
        Assert.StartsWith("Missing value for comment", error.Message);
    }
}
