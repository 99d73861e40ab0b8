using Grpc.Core;

namespace Vtorc.Protocol.Etcd;

/// <summary>Turns gRPC failures into <see cref="EtcdException"/> using etcd's status codes and messages (etcd
/// api/v3rpc/rpctypes/error.go).</summary>
internal static class EtcdErrors
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

    /// <summary>The call's status as grpc-go would report it (a refused TLS handshake is UNAVAILABLE, see <see cref="Rpc.TransportStatus"/>).</summary>
    public static StatusCode StatusOf(RpcException e) => Rpc.TransportStatus.Of(e);

    /// <summary>
    /// etcd answers "no leader" and similar with UNAVAILABLE too; every UNAVAILABLE means "this member cannot
    /// serve you now", so another endpoint is worth trying.
    /// </summary>
    public static bool IsEndpointFailure(RpcException e) => StatusOf(e) == StatusCode.Unavailable;

    private static bool Mentions(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
