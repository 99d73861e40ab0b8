using Grpc.Core;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// The <see cref="RpcException"/>s of tablet calls: the status detail names the tablet (and the RPC), the message adds
/// the full method path and the code, so that a log line or an operator's error says what failed where.
/// </summary>
internal static class TabletRpcErrors
{
    public static RpcException Create(StatusCode code, string detail, string? method, Exception? debugException = null, Metadata? trailers = null)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var status = new Grpc.Core.Status(code, detail, debugException);
        return new RpcException(status, trailers ?? Metadata.Empty,
            method is null ? $"RPC failed: {code}: {detail}" : $"RPC {method} failed: {code}: {detail}");
    }
}
