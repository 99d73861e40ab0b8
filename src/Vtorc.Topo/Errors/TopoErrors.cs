using Vtorc.Protocol.Etcd;

namespace Vtorc.Topo;

/// <summary>Maps etcd client failures onto topo error kinds, as Vitess maps gRPC codes
/// (go/vt/topo/etcd2topo/error.go).</summary>
internal static class TopoErrors
{
    public static TopoErrorKind KindOf(EtcdErrorKind kind) => kind switch
    {
        EtcdErrorKind.Cancelled => TopoErrorKind.Interrupted,
        EtcdErrorKind.DeadlineExceeded or EtcdErrorKind.Unavailable => TopoErrorKind.Timeout,
        EtcdErrorKind.ResourceExhausted => TopoErrorKind.ResourceExhausted,
        EtcdErrorKind.LeaseNotFound => TopoErrorKind.NoNode,
        EtcdErrorKind.LeaseLost => TopoErrorKind.LockLost,
        EtcdErrorKind.Compacted => TopoErrorKind.Compacted,
        _ => TopoErrorKind.Unknown,
    };

    public static TopoException From(EtcdException e, string operation, string key) =>
        new(KindOf(e.Kind), key, $"topo {operation} {key}: {e.Message}", e);

    public static TopoException Cancelled(string operation, string key, OperationCanceledException e) =>
        new(TopoErrorKind.Interrupted, key, $"topo {operation} {key}: interrupted by the caller", e);

    /// <summary>Runs an etcd call and turns its failures into <see cref="TopoException"/> naming <paramref name="key"/>.</summary>
    public static async Task<T> Run<T>(string operation, string key, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (EtcdException e)
        {
            throw From(e, operation, key);
        }
        catch (OperationCanceledException e)
        {
            throw Cancelled(operation, key, e);
        }
    }
}
