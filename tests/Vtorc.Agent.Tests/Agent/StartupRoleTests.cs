using Topodata;
using Vtorc.Agent.Manager;
using Vtorc.Topo;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>The start-up decision of an agent from its previous record and its shard record (pure).</summary>
public sealed class StartupRoleTests
{
    private static readonly TabletAlias Self = TabletAliases.Create("zone1", 100);
    private static readonly TabletAlias Other = TabletAliases.Create("zone1", 101);

    private static Vttime.Time At(long seconds) => new() { Seconds = seconds };

    private static Tablet Primary(long term) => new() { Alias = Self, Type = TabletType.Primary, PrimaryTermStartTime = At(term) };

    [Fact]
    public void A_new_tablet_starts_as_its_initial_type()
    {
        var role = StartupRole.Decide(Self, previous: null, new Shard(), TabletType.Rdonly);
        Assert.Equal(TabletType.Rdonly, role.Type);
        Assert.Null(role.DemoteFrom);
        Assert.False(role.ClaimShard);
    }

    [Fact]
    public void A_tablet_the_shard_names_as_primary_starts_as_primary_with_the_newer_of_both_terms()
    {
        var role = StartupRole.Decide(Self, Primary(50), new Shard { PrimaryAlias = Self, PrimaryTermStartTime = At(40) }, TabletType.Replica);
        Assert.Equal(TabletType.Primary, role.Type);
        Assert.Equal(50, role.PrimaryTermStartTime!.Seconds);
        Assert.Null(role.DemoteFrom);
    }

    [Fact]
    public void A_former_primary_whose_shard_has_a_newer_primary_demotes_itself_and_follows_it()
    {
        var role = StartupRole.Decide(Self, Primary(50), new Shard { PrimaryAlias = Other, PrimaryTermStartTime = At(60) }, TabletType.Replica);
        Assert.Equal(TabletType.Replica, role.Type);
        Assert.Null(role.PrimaryTermStartTime);
        Assert.Equal(Other.ToText(), role.DemoteFrom!.ToText());
    }

    [Fact]
    public void A_former_primary_with_an_equal_term_demotes_itself()
    {
        var role = StartupRole.Decide(Self, Primary(60), new Shard { PrimaryAlias = Other, PrimaryTermStartTime = At(60) }, TabletType.Replica);
        Assert.NotNull(role.DemoteFrom);
    }

    [Fact]
    public void A_former_primary_with_a_newer_term_than_the_shard_stays_primary_and_claims_the_shard()
    {
        var role = StartupRole.Decide(Self, Primary(70), new Shard { PrimaryAlias = Other, PrimaryTermStartTime = At(60) }, TabletType.Replica);
        Assert.Equal(TabletType.Primary, role.Type);
        Assert.True(role.ClaimShard);
        Assert.Equal(70, role.PrimaryTermStartTime!.Seconds);
    }

    [Fact]
    public void A_former_primary_of_a_shard_without_primary_stays_primary_and_claims_the_shard()
    {
        var role = StartupRole.Decide(Self, Primary(70), new Shard(), TabletType.Replica);
        Assert.Equal(TabletType.Primary, role.Type);
        Assert.True(role.ClaimShard);
    }

    [Fact]
    public void A_former_replica_ignores_the_shard_primary()
    {
        var previous = new Tablet { Alias = Self, Type = TabletType.Drained };
        var role = StartupRole.Decide(Self, previous, new Shard { PrimaryAlias = Other, PrimaryTermStartTime = At(60) }, TabletType.Replica);
        Assert.Equal(TabletType.Replica, role.Type);
        Assert.Null(role.DemoteFrom);
    }
}
