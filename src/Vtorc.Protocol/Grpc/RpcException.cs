namespace Vtorc.Protocol.Grpc;

/// <summary>
/// The one exception type of the gRPC layer: a call ended with a non-OK status. Clients receive it with
/// <see cref="Method"/> set; server handlers throw it (usually without a method) to choose the status they answer.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode status, string detail, string? method = null, Exception? inner = null)
        : base(Describe(status, detail, method), inner)
    {
        Status = status;
        Detail = detail ?? string.Empty;
        Method = method;
    }

    public StatusCode Status { get; }

    /// <summary>The status message (grpc-message, decoded), without the method and code prefix.</summary>
    public string Detail { get; }

    /// <summary>The full method path, e.g. "/etcdserverpb.KV/Range", when known.</summary>
    public string? Method { get; }

    private static string Describe(StatusCode status, string? detail, string? method) =>
        method is null
            ? $"RPC failed: {StatusCodeNames.Name(status)}: {detail}"
            : $"RPC {method} failed: {StatusCodeNames.Name(status)}: {detail}";
}
