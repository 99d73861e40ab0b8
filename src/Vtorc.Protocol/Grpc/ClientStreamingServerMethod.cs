using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

internal sealed class ClientStreamingServerMethod<TRequest, TResponse>(
    string path, Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> implementation, MessageParser parser)
    : ServerMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser = (MessageParser<TRequest>)parser;

    public override async Task InvokeAsync(ServerCall call)
    {
        var response = await implementation(new ServerStreamReader<TRequest>(call, _parser), call.Context).ConfigureAwait(false)
            ?? throw NullResponse();
        call.WriteMessage(response);
    }
}
