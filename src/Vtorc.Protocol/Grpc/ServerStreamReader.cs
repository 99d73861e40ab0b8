using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>Reads the request messages of a client-streaming or bidirectional call.</summary>
internal sealed class ServerStreamReader<T>(ServerCall call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    public ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default) =>
        call.ReadRequestAsync(parser, cancellationToken);
}
