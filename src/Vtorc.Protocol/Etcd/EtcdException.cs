using Grpc.Core;

namespace Vtorc.Protocol.Etcd;

/// <summary>An etcd call failed. Names the operation and key, keeps the gRPC status and etcd's own message.</summary>
public sealed class EtcdException : Exception
{
    public EtcdException(
        EtcdErrorKind kind,
        string operation,
        string? key,
        string detail,
        StatusCode? status = null,
        string? endpoint = null,
        long compactRevision = 0,
        Exception? inner = null)
        : base(Describe(kind, operation, key, detail, status, endpoint), inner)
    {
        Kind = kind;
        Operation = operation;
        Key = key;
        Detail = detail;
        Status = status;
        Endpoint = endpoint;
        CompactRevision = compactRevision;
    }

    public EtcdErrorKind Kind { get; }

    /// <summary>The etcd method, e.g. "Range" or "LeaseRevoke".</summary>
    public string Operation { get; }

    /// <summary>The key (or a lease id as text) the call was about, if any.</summary>
    public string? Key { get; }

    /// <summary>The server's message (grpc-message) or our description of a local failure.</summary>
    public string Detail { get; }

    /// <summary>The gRPC status the call ended with; null when no call completed (e.g. nothing reachable).</summary>
    public StatusCode? Status { get; }

    /// <summary>The endpoint that produced the error, when one did.</summary>
    public string? Endpoint { get; }

    /// <summary>For <see cref="EtcdErrorKind.Compacted"/> on a watch: the oldest revision still available.</summary>
    public long CompactRevision { get; }

    private static string Describe(EtcdErrorKind kind, string operation, string? key, string detail, StatusCode? status, string? endpoint)
    {
        var subject = key is null ? operation : $"{operation} \"{key}\"";
        var where = endpoint is null ? "" : $" at {endpoint}";
        var code = status is null ? "" : $" ({status})";
        return $"etcd {subject}{where} failed: {kind}{code}: {detail}";
    }
}
