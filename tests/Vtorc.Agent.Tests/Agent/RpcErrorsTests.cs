using Vtorc.Agent.Manager;
using Vtorc.Agent.MySql;
using Grpc.Core;
using Vtorc.Topo;

namespace Vtorc.Agent.Tests.Agent;

/// <summary>How failures inside an RPC become gRPC statuses (pure).</summary>
public sealed class RpcErrorsTests
{
    private static RpcCall Call() => RpcCall.Start("SetReadOnly", null, CancellationToken.None, TimeSpan.FromSeconds(30), TimeProvider.System);

    [Fact]
    public void A_lost_mysqld_connection_is_UNAVAILABLE_and_keeps_the_errno_text_behind_the_rpc_name()
    {
        using var call = Call();
        var error = RpcErrors.ToRpcException(call, new MySqlCallException(2013, "HY000", "Lost connection to server during query", "SET GLOBAL read_only = ON"),
            "127.0.0.1:3306");
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("SetReadOnly: Lost connection", error.Status.Detail);
        Assert.Contains("(errno 2013) (sqlstate HY000)", error.Status.Detail);
    }

    [Fact]
    public void A_statement_error_is_UNKNOWN_with_its_errno_text()
    {
        using var call = Call();
        var error = RpcErrors.ToRpcException(call, new MySqlCallException(1227, "42000", "Access denied; you need the SUPER privilege", "SET GLOBAL read_only = ON"),
            "127.0.0.1:3306");
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Contains("(errno 1227) (sqlstate 42000)", error.Status.Detail);
    }

    [Fact]
    public void Topology_and_argument_failures_map_to_their_own_codes()
    {
        using var call = Call();
        Assert.Equal(StatusCode.NotFound, RpcErrors.ToRpcException(call, TopoException.NoNode("/vitess/zone1/tablets/x/Tablet"), "e").StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, RpcErrors.ToRpcException(call, new Vtorc.Replication.PositionParseException("0-1-2", "no flavor"), "e").StatusCode);
    }

    [Fact]
    public void Not_a_replica_is_Vitess_text_exactly_with_an_optional_prefix()
    {
        Assert.Equal("no replication status (errno 100) (sqlstate HY000)", RpcErrors.NotReplica().Status.Detail);
        Assert.Equal("before status failed: no replication status (errno 100) (sqlstate HY000)", RpcErrors.NotReplica("before status failed: ").Status.Detail);
    }

    [Fact]
    public async Task A_deadline_inside_the_answer_margin_is_DEADLINE_EXCEEDED_not_a_silent_mysqld()
    {
        using var call = RpcCall.Start("WaitForPosition", DateTimeOffset.UtcNow.AddMilliseconds(1), CancellationToken.None, TimeSpan.FromSeconds(30),
            TimeProvider.System);
        await Poll.UntilAsync(() => Task.FromResult(call.BudgetExpired), TimeSpan.FromSeconds(10), "the call's budget expires");

        var error = RpcErrors.ToRpcException(call, new OperationCanceledException(call.Token), "127.0.0.1:3306");

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.StartsWith("WaitForPosition: ", error.Status.Detail);
        Assert.DoesNotContain("mysqld", error.Status.Detail);
    }

    [Fact]
    public async Task A_budget_that_runs_out_with_time_to_work_is_UNAVAILABLE_naming_mysqld()
    {
        using var call = RpcCall.Start("FullStatus", DateTimeOffset.UtcNow.AddMilliseconds(200), CancellationToken.None, TimeSpan.FromSeconds(30),
            TimeProvider.System);
        await Poll.UntilAsync(() => Task.FromResult(call.BudgetExpired), TimeSpan.FromSeconds(10), "the call's budget expires");

        var error = RpcErrors.ToRpcException(call, new OperationCanceledException(call.Token), "127.0.0.1:3306");

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("mysqld at 127.0.0.1:3306", error.Status.Detail);
    }
}
