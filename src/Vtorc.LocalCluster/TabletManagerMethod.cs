using Google.Protobuf;
using Grpc.Core;

namespace Vtorc.LocalCluster;

/// <summary>
/// A TabletManager method by name, for tests that call RPCs as data (<see cref="AgentMember.CallAsync{TRequest,TResponse}"/>)
/// rather than through the generated client's one method per RPC.
/// </summary>
internal static class TabletManagerMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly Marshaller<TRequest> RequestMarshaller = Marshallers.Create(r => r.ToByteArray(), new MessageParser<TRequest>(() => new TRequest()).ParseFrom);
    private static readonly Marshaller<TResponse> ResponseMarshaller = Marshallers.Create(r => r.ToByteArray(), new MessageParser<TResponse>(() => new TResponse()).ParseFrom);

    public static Method<TRequest, TResponse> For(string rpc) =>
        new(MethodType.Unary, "tabletmanagerservice.TabletManager", rpc, RequestMarshaller, ResponseMarshaller);
}
