namespace Vtorc.Protocol.Grpc;

/// <summary>One bound RPC: reads the request(s), runs the implementation, writes the response(s).</summary>
internal abstract class ServerMethodHandler(string path)
{
    public string Path { get; } = path;

    public abstract Task InvokeAsync(ServerCall call);

    protected static RpcException MissingRequest() =>
        new(StatusCode.Internal, "the client half-closed without sending the request message");

    protected static RpcException NullResponse() =>
        new(StatusCode.Internal, "the handler returned no response message");
}
