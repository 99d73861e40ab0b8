using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

internal sealed class ServerStreamingServerMethod<TRequest, TResponse>(
    string path, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> implementation, MessageParser parser)
    : ServerMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser = (MessageParser<TRequest>)parser;

    public override async Task InvokeAsync(ServerCall call)
    {
        var request = await call.ReadRequestAsync(_parser, default).ConfigureAwait(false) ?? throw MissingRequest();
        await implementation(request, new ServerStreamWriter<TResponse>(call), call.Context).ConfigureAwait(false);
    }
}
