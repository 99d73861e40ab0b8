using Vtorc.Agent.MySql;
using Grpc.Core;
using Vtorc.Replication;
using Vtorc.Topo;

namespace Vtorc.Agent.Manager;

/// <summary>
/// How a failure inside an RPC becomes the gRPC status the caller sees. MySQL errors keep their
/// "(errno N) (sqlstate X)" text (Vitess clients look for it anywhere in the message) behind the RPC name.
/// </summary>
internal static class RpcErrors
{
    /// <summary>Vitess's "this MySQL is not a replica" text (docs/wire-format.md, "Tablet errors"), exact.</summary>
    public const string NotReplicaText = "no replication status (errno 100) (sqlstate HY000)";

    /// <summary>
    /// The "not a replica" status. Vitess sends it as a plain MySQL error, which its gRPC layer maps to UNKNOWN;
    /// clients recognise it by errno 100 in the message, not by the code.
    /// </summary>
    public static RpcException NotReplica(string prefix = "") => Fail(StatusCode.Unknown, prefix + NotReplicaText);

    /// <summary>The status the caller sees: <paramref name="detail"/> (starting with the RPC's name) and its code.</summary>
    public static RpcException Fail(StatusCode code, string detail, Exception? inner = null) =>
        new(new Grpc.Core.Status(code, detail, inner), $"{code}: {detail}");

    /// <summary>The status for <paramref name="error"/> thrown while serving <paramref name="call"/>.</summary>
    public static RpcException ToRpcException(RpcCall call, Exception error, string mySqlEndpoint)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            RpcException rpc => rpc,
            MySqlCallException { IsConnectionError: true } e => Fail(StatusCode.Unavailable, $"{call.Name}: {e.Message}", inner: e),
            MySqlCallException e => Fail(StatusCode.Unknown, $"{call.Name}: {e.Message}", inner: e),
            OperationCanceledException when call.BudgetExpired && call.NoTimeToWork => Fail(StatusCode.DeadlineExceeded,
                $"{call.Name}: the call's deadline left no time to work (it fell within the agent's answer margin)", inner: error),
            OperationCanceledException when call.BudgetExpired => Fail(StatusCode.Unavailable,
                $"{call.Name}: mysqld at {mySqlEndpoint} or the topology did not answer before the call's deadline", inner: error),
            TopoException { Kind: TopoErrorKind.Timeout } e => Fail(StatusCode.Unavailable, $"{call.Name}: {e.Message}", inner: e),
            TopoException { Kind: TopoErrorKind.NoNode } e => Fail(StatusCode.NotFound, $"{call.Name}: {e.Message}", inner: e),
            TopoException e => Fail(StatusCode.Unknown, $"{call.Name}: {e.Message}", inner: e),
            PositionParseException e => Fail(StatusCode.InvalidArgument, $"{call.Name}: {e.Message}", inner: e),
            ArgumentException e => Fail(StatusCode.InvalidArgument, $"{call.Name}: {e.Message}", inner: e),
            FormatException e => Fail(StatusCode.Internal, $"{call.Name}: cannot read mysqld's answer: {e.Message}", inner: e),
            _ => Fail(StatusCode.Unknown, $"{call.Name}: {error.Message}", inner: error),
        };
    }
}
