using Grpc.Core;

namespace Vtorc.Protocol.Etcd;

/// <summary>Turns gRPC failures into <see cref="EtcdException"/> using etcd's status codes and messages (etcd
/// api/v3rpc/rpctypes/error.go).</summary>
public static class EtcdErrors
{
    public static EtcdErrorKind Classify(StatusCode status, string? detail)
    {
        var text = detail ?? "";
        return status switch
        {
            StatusCode.NotFound when Mentions(text, "lease not found") => EtcdErrorKind.LeaseNotFound,
            StatusCode.OutOfRange when Mentions(text, "compacted") => EtcdErrorKind.Compacted,
            StatusCode.OutOfRange when Mentions(text, "future revision") => EtcdErrorKind.FutureRevision,
            StatusCode.Unavailable => EtcdErrorKind.Unavailable,
            StatusCode.DeadlineExceeded => EtcdErrorKind.DeadlineExceeded,
            StatusCode.Cancelled => EtcdErrorKind.Cancelled,
            StatusCode.ResourceExhausted when Mentions(text, "too many requests") => EtcdErrorKind.TooManyRequests,
            StatusCode.ResourceExhausted => EtcdErrorKind.ResourceExhausted,
            StatusCode.InvalidArgument when Mentions(text, "too large") => EtcdErrorKind.RequestTooLarge,
            StatusCode.InvalidArgument => EtcdErrorKind.InvalidArgument,
            StatusCode.PermissionDenied or StatusCode.Unauthenticated => EtcdErrorKind.PermissionDenied,
            _ => EtcdErrorKind.Other,
        };
    }

    public static EtcdException FromRpc(RpcException e, string operation, string? key, string? endpoint)
    {
        var status = StatusOf(e);
        return new(Classify(status, e.Status.Detail), operation, key, string.IsNullOrEmpty(e.Status.Detail) ? status.ToString() : e.Status.Detail,
            status, endpoint, inner: e);
    }

    /// <summary>
    /// The call's status as grpc-go would report it. grpc-dotnet reports a connection that could not be set up for
    /// other reasons than the socket (a failed TLS handshake: unknown CA, wrong name) as INTERNAL; grpc-go reports
    /// it as UNAVAILABLE ("authentication handshake failed", grpc-go internal/transport/http2_client.go), and so
    /// do we: the endpoint could not be reached, another one is worth trying, and the topology reads it as a timeout.
    /// </summary>
    public static StatusCode StatusOf(RpcException e) =>
        e.StatusCode == StatusCode.Internal && TransportFailed(e) ? StatusCode.Unavailable : e.StatusCode;

    /// <summary>
    /// etcd answers "no leader" and similar with UNAVAILABLE too; every UNAVAILABLE means "this member cannot
    /// serve you now", so another endpoint is worth trying.
    /// </summary>
    public static bool IsEndpointFailure(RpcException e) => StatusOf(e) == StatusCode.Unavailable;

    /// <summary>grpc-dotnet keeps the transport's exception as the status's debug exception; etcd's own errors have none.</summary>
    private static bool TransportFailed(RpcException e)
    {
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException)
            {
                return true;
            }
        }
        return false;
    }

    private static bool Mentions(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
