using Google.Protobuf;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

/// <summary>The real implementation of the test-only grpctest.TestService, with signals tests can await.</summary>
public sealed class TestServiceImplementation
{
    /// <summary>Set when a Wait call has started (the handler is running).</summary>
    public TaskCompletionSource WaitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set with the call's context when a Wait handler saw its CancellationToken fire.</summary>
    public TaskCompletionSource<ServerCallContext> WaitCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        if (request.ReplySize > 0)
        {
            return Task.FromResult(new EchoReply { Text = request.Text, Payload = ByteString.CopyFrom(new byte[request.ReplySize]) });
        }
        if (request.Text == "headers")
        {
            var headers = string.Join(";", context.RequestHeaders.Where(h => h.Key.StartsWith("x-", StringComparison.Ordinal)).Select(h => h.Key + "=" + h.Value));
            return Task.FromResult(new EchoReply { Text = headers });
        }
        if (request.Text == "deadline")
        {
            return Task.FromResult(new EchoReply { Text = context.Deadline is null ? "none" : "set" });
        }
        return Task.FromResult(new EchoReply { Text = request.Text, Payload = request.Payload });
    }

    /// <summary>Streams 1..count; a negative count streams two numbers and then fails with INVALID_ARGUMENT.</summary>
    public async Task Count(CountRequest request, IServerStreamWriter<CountReply> responses, ServerCallContext context)
    {
        if (request.Count < 0)
        {
            await responses.WriteAsync(new CountReply { Number = 1 }, context.CancellationToken);
            await responses.WriteAsync(new CountReply { Number = 2 }, context.CancellationToken);
            throw new RpcException(StatusCode.InvalidArgument, "negative count");
        }
        for (var i = 1; i <= request.Count; i++)
        {
            await responses.WriteAsync(new CountReply { Number = i }, context.CancellationToken);
        }
    }

    /// <summary>Answers each request with "echo:text"; after the client half-closes, sends "done" and ends.</summary>
    public async Task Chat(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        while (await requests.ReadAsync(context.CancellationToken) is { } request)
        {
            await responses.WriteAsync(new EchoReply { Text = "echo:" + request.Text }, context.CancellationToken);
        }
        await responses.WriteAsync(new EchoReply { Text = "done" }, context.CancellationToken);
    }

    public async Task<CountReply> Sum(IAsyncStreamReader<CountRequest> requests, ServerCallContext context)
    {
        var sum = 0;
        while (await requests.ReadAsync(context.CancellationToken) is { } request)
        {
            sum += request.Count;
        }
        return new CountReply { Number = sum };
    }

    /// <summary>Never answers on its own: waits for the call to be cancelled (deadline, client, shutdown).</summary>
    public async Task<EchoReply> Wait(EchoRequest request, ServerCallContext context)
    {
        WaitStarted.TrySetResult();
        try
        {
            await new TaskCompletionSource().Task.WaitAsync(context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            WaitCancelled.TrySetResult(context);
            throw;
        }
        return new EchoReply { Text = request.Text };
    }

    /// <summary>"rpc" throws RpcException(NOT_FOUND, "x y%"); anything else throws a plain exception with that text.</summary>
    public Task<EchoReply> Fail(EchoRequest request, ServerCallContext context) =>
        request.Text == "rpc"
            ? throw new RpcException(StatusCode.NotFound, "x y%")
            : throw new InvalidOperationException(request.Text);
}
