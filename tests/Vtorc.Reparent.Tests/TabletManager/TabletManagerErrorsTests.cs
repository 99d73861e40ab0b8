using Grpc.Core;
using Vtorc.Reparent.TabletManager;

namespace Vtorc.Reparent.Tests.TabletManager;

public class TabletManagerErrorsTests
{
    [Theory]
    [InlineData("no replication status (errno 100) (sqlstate HY000)")]
    [InlineData("before status failed: no replication status (errno 100) (sqlstate HY000)")]
    [InlineData("tablet zone1-0000000100 (h:1) StopReplicationAndGetStatus: before status failed: no replication status (errno 100) (sqlstate HY000)")]
    public void Errno_100_anywhere_in_the_detail_means_not_a_replica(string detail)
    {
        Assert.True(TabletManagerErrors.IsNotReplicaError(new RpcException(new Grpc.Core.Status(StatusCode.Unknown, detail))));
    }

    [Theory]
    [InlineData("Access denied (errno 1045) (sqlstate 28000)")]
    [InlineData("Lost connection (errno 1005) (sqlstate HY000)")]
    [InlineData("errno 100 without the Vitess shape")]
    [InlineData("")]
    public void Other_errors_are_not(string detail)
    {
        Assert.False(TabletManagerErrors.IsNotReplicaError(new RpcException(new Grpc.Core.Status(StatusCode.Unknown, detail))));
    }

    [Fact]
    public void Reads_the_first_errno()
    {
        Assert.Equal(1062, TabletManagerErrors.MySqlErrno("x (errno 1062) (sqlstate 23000) then (errno 100) (sqlstate HY000)"));
        Assert.Null(TabletManagerErrors.MySqlErrno("no errno here"));
    }
}
