using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

internal sealed class DuplexStreamingServerMethod<TRequest, TResponse>(
    string path,
    Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> implementation,
    MessageParser parser)
    : ServerMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser = (MessageParser<TRequest>)parser;

    public override Task InvokeAsync(ServerCall call) =>
        implementation(new ServerStreamReader<TRequest>(call, _parser), new ServerStreamWriter<TResponse>(call), call.Context);
}
