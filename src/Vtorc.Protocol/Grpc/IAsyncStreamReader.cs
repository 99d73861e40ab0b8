namespace Vtorc.Protocol.Grpc;

/// <summary>The request messages of a client-streaming or bidirectional call, as a server handler reads them.</summary>
public interface IAsyncStreamReader<T> where T : class
{
    /// <summary>The next message, or null once the client has half-closed.</summary>
    ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default);
}
