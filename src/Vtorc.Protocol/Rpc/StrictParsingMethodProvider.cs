using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// Binds the methods of one service instance as grpc-dotnet's own binder does, except that a request body that is not
/// a valid message answers INTERNAL (as grpc-go servers, Vitess tablets among them, answer it) instead of grpc-dotnet's
/// UNKNOWN "Exception was thrown by handler".
/// </summary>
internal sealed class StrictParsingMethodProvider<TService>(TService service) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var attribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} is not a generated gRPC service base class (no [BindServiceMethod])");
        var bind = attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static,
                [typeof(ServiceBinderBase), typeof(TService).BaseType!])
            ?? throw new InvalidOperationException($"{attribute.BindType.Name}.{attribute.BindMethodName}(ServiceBinderBase, …) not found");
        bind.Invoke(null, [new Binder(context), service]);
    }

    private static Method<TRequest, TResponse> WithStrictParsing<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class =>
        new(method.Type, method.ServiceName, method.Name, Strict(method.RequestMarshaller, method.FullName), method.ResponseMarshaller);

    private static Marshaller<T> Strict<T>(Marshaller<T> marshaller, string method) =>
        new(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"{method}: cannot parse the request as {typeof(T).Name}: {e.Message}", e));
            }
        });

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        private static readonly List<object> NoMetadata = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddUnaryMethod(WithStrictParsing(method), NoMetadata, (_, request, call) => handler(request, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method,
            ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddServerStreamingMethod(WithStrictParsing(method), NoMetadata, (_, request, writer, call) => handler(request, writer, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method,
            ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddClientStreamingMethod(WithStrictParsing(method), NoMetadata, (_, reader, call) => handler(reader, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method,
            DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddDuplexStreamingMethod(WithStrictParsing(method), NoMetadata, (_, reader, writer, call) => handler(reader, writer, call));
        }
    }
}
