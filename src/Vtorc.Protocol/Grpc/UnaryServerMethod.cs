using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

internal sealed class UnaryServerMethod<TRequest, TResponse>(
    string path, Func<TRequest, ServerCallContext, Task<TResponse>> implementation, MessageParser parser)
    : ServerMethodHandler(path)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser = (MessageParser<TRequest>)parser;

    public override async Task InvokeAsync(ServerCall call)
    {
        var request = await call.ReadRequestAsync(_parser, default).ConfigureAwait(false) ?? throw MissingRequest();
        var response = await implementation(request, call.Context).ConfigureAwait(false) ?? throw NullResponse();
        // Not flushed: Kestrel sends headers, the message and the trailers together when the call ends.
        call.WriteMessage(response);
    }
}
