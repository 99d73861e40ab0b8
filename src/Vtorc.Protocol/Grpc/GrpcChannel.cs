using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// A client for one target. All calls share one HTTP/2 connection (one SocketsHttpHandler, no extra
/// connections, no keepalive pings). Thread-safe; dispose when done with the target.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private GrpcChannel(string target) => Target = target;

    /// <summary>"host:port" or "http://host:port" (h2c with prior knowledge), or "https://host:port" (TLS, ALPN h2).</summary>
    public static GrpcChannel Create(string address, GrpcChannelOptions? options = null) => throw new NotImplementedException(address + options);

    /// <summary>The address as given to <see cref="Create"/>.</summary>
    public string Target { get; }

    /// <summary>One request, one response. <paramref name="method"/> is the full path, e.g. "/etcdserverpb.KV/Range".</summary>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() => throw new NotImplementedException();

    /// <summary>One request, a stream of responses; a non-OK end of the stream throws <see cref="RpcException"/>.</summary>
    public IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string method, TRequest request, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() => throw new NotImplementedException();

    /// <summary>Starts a bidirectional call; nothing is awaited until the first write or read.</summary>
    public DuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(string method, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new() => throw new NotImplementedException();

    public void Dispose()
    {
    }
}
