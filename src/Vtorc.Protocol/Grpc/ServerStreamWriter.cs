using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>Writes each response message of a streaming call and flushes it to the client at once.</summary>
internal sealed class ServerStreamWriter<T>(ServerCall call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        call.WriteMessage(message);
        return call.FlushAsync(cancellationToken);
    }
}
