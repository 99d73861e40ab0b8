using Google.Protobuf.Reflection;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// A gRPC server on Kestrel with one HTTP/2-only endpoint (plaintext h2c or TLS). Services are added by
/// descriptor and implementation object; requests are dispatched to the implementation's public methods named
/// like the RPCs:
/// unary <c>Task&lt;TResp&gt; Name(TReq, ServerCallContext)</c>,
/// server streaming <c>Task Name(TReq, IServerStreamWriter&lt;TResp&gt;, ServerCallContext)</c>,
/// client streaming <c>Task&lt;TResp&gt; Name(IAsyncStreamReader&lt;TReq&gt;, ServerCallContext)</c>,
/// bidi <c>Task Name(IAsyncStreamReader&lt;TReq&gt;, IServerStreamWriter&lt;TResp&gt;, ServerCallContext)</c>.
/// RPCs without such a method answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServer : IAsyncDisposable
{
    public GrpcServer(GrpcServerOptions options) => _ = options;

    /// <summary>Registers a service; call before <see cref="StartAsync"/>. Throws if a method has a wrong signature.</summary>
    public void AddService(ServiceDescriptor service, object implementation) => throw new NotImplementedException();

    public Task StartAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>The bound port (valid after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>How many connections the endpoint has accepted since start.</summary>
    public long AcceptedConnectionCount { get; private set; }

    /// <summary>Stops accepting calls and cancels the calls in progress once <paramref name="cancellationToken"/> fires.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
