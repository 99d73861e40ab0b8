namespace Vtorc.Protocol.Grpc;

/// <summary>Where a server handler writes the messages of a streaming response. Not safe for concurrent writes.</summary>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
