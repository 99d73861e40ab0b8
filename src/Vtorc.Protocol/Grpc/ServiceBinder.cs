using System.Linq.Expressions;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// Binds the RPCs of a service descriptor to the public methods of an implementation object, once, at
/// registration: signatures are checked and typed delegates built, so calls involve no reflection.
/// </summary>
internal static class ServiceBinder
{
    /// <summary>One handler per RPC of the service; null where the implementation has no method of that name.</summary>
    public static IReadOnlyList<(string Path, ServerMethodHandler? Handler)> Bind(ServiceDescriptor service, object implementation)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(implementation);
        var implementationType = implementation.GetType();
        var publicMethods = implementationType.GetMethods(BindingFlags.Public | BindingFlags.Instance);
        var bound = new List<(string, ServerMethodHandler?)>();
        foreach (var method in service.Methods)
        {
            var path = "/" + service.FullName + "/" + method.Name;
            var candidates = publicMethods.Where(m => m.Name == method.Name).ToArray();
            if (candidates.Length == 0)
            {
                bound.Add((path, null));
                continue;
            }
            if (candidates.Length > 1)
            {
                throw new ArgumentException(
                    $"{implementationType.FullName} has {candidates.Length} public methods named {method.Name}; exactly one may serve {path}");
            }
            bound.Add((path, BindOne(path, method, candidates[0], implementation)));
        }
        return bound;
    }

    private static ServerMethodHandler BindOne(string path, MethodDescriptor method, MethodInfo target, object implementation)
    {
        var request = method.InputType.ClrType
            ?? throw new ArgumentException($"{path}: request type {method.InputType.FullName} has no generated C# class");
        var response = method.OutputType.ClrType
            ?? throw new ArgumentException($"{path}: response type {method.OutputType.FullName} has no generated C# class");
        var reader = typeof(IAsyncStreamReader<>).MakeGenericType(request);
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var context = typeof(ServerCallContext);
        var taskOfResponse = typeof(Task<>).MakeGenericType(response);
        var (parameters, returns, handlerType) = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => (new[] { request, context }, taskOfResponse, typeof(UnaryServerMethod<,>)),
            (false, true) => (new[] { request, writer, context }, typeof(Task), typeof(ServerStreamingServerMethod<,>)),
            (true, false) => (new[] { reader, context }, taskOfResponse, typeof(ClientStreamingServerMethod<,>)),
            (true, true) => (new[] { reader, writer, context }, typeof(Task), typeof(DuplexStreamingServerMethod<,>)),
        };
        var actualParameters = target.GetParameters().Select(p => p.ParameterType).ToArray();
        if (target.ReturnType != returns || !actualParameters.SequenceEqual(parameters) || target.IsGenericMethodDefinition)
        {
            throw new ArgumentException(
                $"{target.DeclaringType?.Name}.{target.Name} cannot serve {path}: expected " +
                $"\"{Describe(returns)} {method.Name}({string.Join(", ", parameters.Select(Describe))})\", found " +
                $"\"{Describe(target.ReturnType)} {target.Name}({string.Join(", ", actualParameters.Select(Describe))})\"");
        }
        var delegateType = Expression.GetDelegateType([.. parameters, returns]);
        var invoker = target.CreateDelegate(delegateType, implementation);
        var handler = handlerType.MakeGenericType(request, response);
        return (ServerMethodHandler)Activator.CreateInstance(handler, path, invoker, method.InputType.Parser)!;
    }

    private static string Describe(Type type) =>
        type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(Describe)) + ">"
            : type.Name;
}
