using Vtorc.Reparent.Decisions;

namespace Vtorc.Reparent.Tests.Decisions;

/// <summary>Planned reparent's divergence check on MariaDB binlog states (pure).</summary>
public sealed class PrsDivergenceCheckTests
{
    [Fact]
    public void An_elect_that_has_only_the_primarys_writes_is_clean() =>
        Assert.Empty(PrsDivergenceCheck.ErrantOnElect("0-101-40", "0-101-42", 101));

    [Fact]
    public void An_elect_with_a_write_of_its_own_is_diverged_even_below_the_primarys_sequence() =>
        Assert.Equal("0-102-5", Assert.Single(PrsDivergenceCheck.ErrantOnElect("0-101-40,0-102-5", "0-101-42", 101)).ToString());

    [Fact]
    public void An_elect_with_more_of_a_former_primarys_writes_than_the_primary_is_diverged() =>
        Assert.Single(PrsDivergenceCheck.ErrantOnElect("0-100-12,0-101-40", "0-100-11,0-101-42", 101));

    [Fact]
    public void Missing_binlog_states_are_not_judged()
    {
        Assert.Empty(PrsDivergenceCheck.ErrantOnElect("", "0-101-42", 101));
        Assert.Empty(PrsDivergenceCheck.ErrantOnElect("0-102-5", null, 101));
    }
}
