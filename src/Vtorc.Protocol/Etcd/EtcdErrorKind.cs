namespace Vtorc.Protocol.Etcd;

/// <summary>What went wrong in an etcd call, in the terms callers act on (docs/wire-format.md, "etcd v3
/// API").</summary>
public enum EtcdErrorKind
{
    /// <summary>Anything not listed below; see the gRPC status.</summary>
    Other = 0,
    /// <summary>No endpoint could be reached, or etcd has no leader / timed out internally.</summary>
    Unavailable,
    /// <summary>The call's deadline passed.</summary>
    DeadlineExceeded,
    /// <summary>The server reported the call cancelled (the caller's own cancellation is an OperationCanceledException).</summary>
    Cancelled,
    /// <summary>"etcdserver: requested lease not found".</summary>
    LeaseNotFound,
    /// <summary>The requested revision has been compacted away.</summary>
    Compacted,
    /// <summary>The requested revision is newer than the store.</summary>
    FutureRevision,
    /// <summary>"etcdserver: too many requests".</summary>
    TooManyRequests,
    /// <summary>The request exceeds etcd's request size limit.</summary>
    RequestTooLarge,
    /// <summary>The response exceeds what the client accepts.</summary>
    ResourceExhausted,
    /// <summary>etcd refused the request as malformed (duplicate key in txn, too many ops, ...).</summary>
    InvalidArgument,
    /// <summary>Authentication or permission failure.</summary>
    PermissionDenied,
    /// <summary>The lease was lost while being kept alive.</summary>
    LeaseLost,
}
