namespace Vtorc.Replication.Tests;

public sealed class ErrantGtidsTests
{
    // O = an old primary, P = the current shard primary, R = the replica being polled, X = another replica.
    private const string O = Uuids.A;
    private const string P = Uuids.C;
    private const string R = Uuids.D;
    private const string X = Uuids.E;

    private static GtidSet S(string text) => GtidSet.Parse(text);
    private static ServerUuid U(string text) => ServerUuid.Parse(text);

    private static ErrantGtidObservation ReplicaOfPrimary(string replicaExecuted, string primaryExecuted) => new()
    {
        Executed = S(replicaExecuted),
        ServerUuid = U(R),
        Ancestry = [U(P), U(R)],
        ReplicatesFromSomeone = true,
        SourceUuid = U(P),
        SourceExecuted = S(primaryExecuted),
        SourceIsShardPrimary = true,
        ShardPrimaryExecuted = S(primaryExecuted),
    };

    [Fact]
    public void Replica_in_step_with_its_primary_has_no_errant_gtids()
    {
        Assert.True(ErrantGtids.Detect(ReplicaOfPrimary($"{O}:1-50,{P}:1-90", $"{O}:1-50,{P}:1-100")).IsEmpty);
    }

    [Fact]
    public void Transactions_written_on_the_replica_itself_are_errant()
    {
        var errant = ErrantGtids.Detect(ReplicaOfPrimary($"{P}:1-100,{R}:1-3", $"{P}:1-100"));
        Assert.Equal($"{R}:1-3", errant.ToString());
        Assert.Equal(3, errant.Count);
    }

    [Fact]
    public void Transactions_of_an_old_primary_that_the_current_primary_lacks_are_errant()
    {
        var errant = ErrantGtids.Detect(ReplicaOfPrimary($"{O}:1-60,{P}:1-100", $"{O}:1-50,{P}:1-100"));
        Assert.Equal($"{O}:51-60", errant.ToString());
    }

    [Fact]
    public void Replica_ahead_of_a_stale_view_of_its_primary_is_not_errant()
    {
        // The primary's own UUID is in the replica's ancestry, so a newer primary transaction is not errant.
        Assert.True(ErrantGtids.Detect(ReplicaOfPrimary($"{P}:1-120", $"{P}:1-100")).IsEmpty);
    }

    [Fact]
    public void The_shard_primary_never_has_errant_gtids()
    {
        var observation = ReplicaOfPrimary($"{P}:1-100,{R}:1-3", $"{P}:1-100") with { IsShardPrimary = true };
        Assert.True(ErrantGtids.Detect(observation).IsEmpty);
    }

    [Fact]
    public void Nothing_is_errant_when_either_side_is_empty()
    {
        Assert.True(ErrantGtids.Detect(ReplicaOfPrimary("", $"{P}:1-100")).IsEmpty);
        Assert.True(ErrantGtids.Compute(S($"{R}:1"), U(R), [U(P), U(R)], false, GtidSet.Empty, U(P)).IsEmpty);
    }

    [Fact]
    public void Co_primary_discounts_its_own_uuid_too()
    {
        var executed = S($"{P}:1-10,{R}:1-5,{O}:7");
        var coPrimary = ErrantGtids.Compute(executed, U(R), [U(P), U(R)], isCoPrimary: true, S($"{P}:1-10"), U(P));
        Assert.Equal($"{O}:7", coPrimary.ToString());
        var plain = ErrantGtids.Compute(executed, U(R), [U(P), U(R)], isCoPrimary: false, S($"{P}:1-10"), U(P));
        Assert.Equal($"{O}:7,{R}:1-5", plain.ToString());
    }

    [Fact]
    public void Source_uuid_is_removed_from_the_base_before_subtracting()
    {
        // R's own transactions R:1-5 also appear in the base under R's UUID; X is not an ancestor.
        var errant = ErrantGtids.Compute(S($"{R}:1-5,{X}:1-4"), U(R), [U(P), U(R)], false, S($"{R}:1-5,{X}:1-4"), U(X));
        Assert.Equal($"{X}:1-4", errant.ToString());
    }

    [Fact]
    public void Disconnected_old_primary_is_compared_with_the_shard_primary()
    {
        var observation = new ErrantGtidObservation
        {
            Executed = S($"{O}:1-60"),
            ServerUuid = U(O),
            Ancestry = [U(O)],
            ReplicatesFromSomeone = false,
            ShardPrimaryExecuted = S($"{O}:1-50,{P}:1-100"),
        };
        Assert.Same(observation.ShardPrimaryExecuted, ErrantGtids.ChooseComparisonBase(observation));
        Assert.Equal($"{O}:51-60", ErrantGtids.Detect(observation).ToString());
    }

    [Fact]
    public void Replica_of_another_replica_is_compared_with_the_shard_primary()
    {
        var observation = new ErrantGtidObservation
        {
            Executed = S($"{P}:1-100,{X}:1-2"),
            ServerUuid = U(R),
            Ancestry = [U(P), U(X), U(R)],
            ReplicatesFromSomeone = true,
            SourceUuid = U(X),
            SourceExecuted = S($"{P}:1-90"),
            SourceIsShardPrimary = false,
            ShardPrimaryExecuted = S($"{P}:1-100"),
        };
        Assert.Same(observation.ShardPrimaryExecuted, ErrantGtids.ChooseComparisonBase(observation));
    }

    [Fact]
    public void Source_executed_set_is_the_base_when_the_shard_primary_replicates_or_is_unknown()
    {
        var viaIntermediate = new ErrantGtidObservation
        {
            Executed = S($"{P}:1-100"),
            ServerUuid = U(R),
            Ancestry = [U(P), U(X), U(R)],
            ReplicatesFromSomeone = true,
            SourceUuid = U(X),
            SourceExecuted = S($"{P}:1-90"),
            ShardPrimaryExecuted = S($"{P}:1-100"),
            ShardPrimaryReplicates = true,
        };
        Assert.Same(viaIntermediate.SourceExecuted, ErrantGtids.ChooseComparisonBase(viaIntermediate));
        var unknownPrimary = viaIntermediate with { ShardPrimaryExecuted = null, ShardPrimaryReplicates = false };
        Assert.Same(viaIntermediate.SourceExecuted, ErrantGtids.ChooseComparisonBase(unknownPrimary));
    }

    [Fact]
    public void Unconnected_tablet_with_no_shard_primary_has_nothing_to_compare_with()
    {
        var observation = new ErrantGtidObservation { Executed = S($"{R}:1-5"), ServerUuid = U(R), Ancestry = [U(R)] };
        Assert.Null(ErrantGtids.ChooseComparisonBase(observation));
        Assert.True(ErrantGtids.Detect(observation).IsEmpty);
    }

    [Theory]
    [InlineData(P, P, R, false, P + "," + R)]
    [InlineData(O + "," + P, P, R, false, O + "," + P + "," + R)]
    [InlineData(null, null, R, false, R)]
    [InlineData("", null, R, false, R)]
    [InlineData(O + "," + P, P, R, true, P + "," + R)]
    public void Ancestry_is_the_source_ancestry_then_own_uuid(string? sourceAncestry, string? sourceUuid, string own, bool coPrimary, string expected)
    {
        Assert.Equal(expected, ErrantGtids.BuildAncestry(sourceAncestry, sourceUuid, own, coPrimary));
    }

    [Fact]
    public void Ancestry_parses_and_rejects_junk_by_quoting_it()
    {
        Assert.Equal(new[] { U(P), U(R) }, ErrantGtids.ParseAncestry($",{P}, {R},"));
        var error = Assert.Throws<FormatException>(() => ErrantGtids.ParseAncestry($"{P},nope"));
        Assert.Contains($"\"{P},nope\"", error.Message);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public void Ers_question_finds_transactions_no_other_candidate_has()
    {
        var candidate = S($"{P}:1-100,{X}:1-3,{R}:1-2");
        var others = new[] { S($"{P}:1-100"), S($"{P}:1-98,{X}:1-2") };
        Assert.Equal($"{R}:1-2,{X}:3", ErrantGtids.NotPresentElsewhere(candidate, others, discountUuid: null).ToString());
        Assert.Equal($"{R}:1-2", ErrantGtids.NotPresentElsewhere(candidate, others, discountUuid: U(X)).ToString());
        Assert.True(ErrantGtids.NotPresentElsewhere(S($"{P}:1-99"), others, null).IsEmpty);
    }
}
