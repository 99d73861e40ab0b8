namespace Vtorc.Replication.Tests;

public sealed class RelayLogPositionTests
{
    [Fact]
    public void Combined_is_executed_union_retrieved()
    {
        var executed = ReplicationPosition.Parse("MySQL56/" + Uuids.C + ":1-5");
        var retrieved = GtidSet.Parse(Uuids.C + ":3-9," + Uuids.D + ":1");
        Assert.Equal("MySQL56/" + Uuids.C + ":1-9," + Uuids.D + ":1", RelayLogPosition.Combine(executed, retrieved).ToString());
    }

    [Fact]
    public void Empty_executed_counts_as_an_empty_gtid_set()
    {
        var combined = RelayLogPosition.Combine(ReplicationPosition.Empty, GtidSet.Parse(Uuids.C + ":1-3"));
        Assert.Equal(PositionFlavor.MySql56, combined.Flavor);
        Assert.Equal("MySQL56/" + Uuids.C + ":1-3", combined.ToString());
    }

    [Fact]
    public void Non_mysql56_executed_position_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => RelayLogPosition.Combine(ReplicationPosition.Parse("MariaDB/0-1-1"), GtidSet.Empty));
        Assert.Contains("\"MariaDB/0-1-1\"", error.Message);
    }
}
