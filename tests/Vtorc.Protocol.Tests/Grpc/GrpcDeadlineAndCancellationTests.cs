using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcDeadlineAndCancellationTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deadline_exceeded_fails_the_client_and_cancels_the_server_handler()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Wait, new EchoRequest(), new CallOptions(TimeSpan.FromMilliseconds(200))));

        Assert.Equal(StatusCode.DeadlineExceeded, e.Status);
        var context = await server.Service.WaitCancelled.Task.WaitAsync(Generous);
        Assert.True(context.CancellationToken.IsCancellationRequested);
        Assert.NotNull(context.Deadline);
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_on_its_own_and_answers_DEADLINE_EXCEEDED()
    {
        // A raw HTTP/2 request with grpc-timeout but no client-side cancellation: only the server can end it.
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        var body = new EchoRequest { Text = "x" }.ToByteArray();
        var framed = new byte[5 + body.Length];
        framed[4] = (byte)body.Length;
        body.CopyTo(framed, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Address + TestMethods.Wait)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await invoker.SendAsync(request, CancellationToken.None).WaitAsync(Generous);
        await response.Content.ReadAsByteArrayAsync().WaitAsync(Generous);

        var status = response.Headers.TryGetValues("grpc-status", out var inHeaders)
            ? inHeaders.Single()
            : response.TrailingHeaders.GetValues("grpc-status").Single();
        Assert.Equal("4", status);
        Assert.True((await server.Service.WaitCancelled.Task.WaitAsync(Generous)).CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Client_cancellation_fails_the_call_CANCELLED_and_reaches_the_server()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cancel = new CancellationTokenSource();

        var call = channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Wait, new EchoRequest(), new CallOptions(Generous, cancel.Token));
        await server.Service.WaitStarted.Task.WaitAsync(Generous);
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, e.Status);
        Assert.True((await server.Service.WaitCancelled.Task.WaitAsync(Generous)).CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Disposing_an_unfinished_bidi_call_resets_it_and_leaves_the_connection_usable()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var call = channel.DuplexStreaming<EchoRequest, EchoReply>(TestMethods.Chat, new CallOptions(Generous));
        await call.WriteAsync(new EchoRequest { Text = "a" });
        Assert.Equal("echo:a", (await call.ReadAsync())?.Text);
        await call.DisposeAsync();

        // The server's Chat handler is blocked reading the next request; after the reset the next call still works
        // on the same connection, and the reset call cannot be read any more.
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call.ReadAsync());
        Assert.Equal(StatusCode.Cancelled, e.Status);
        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "after" }, new CallOptions(Generous));
        Assert.Equal("after", reply.Text);
    }

    [Fact]
    public async Task Cancelling_a_bidi_read_cancels_the_call_on_the_server()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        await using var call = channel.DuplexStreaming<EchoRequest, EchoReply>(TestMethods.Wait, new CallOptions(Generous));
        using var cancel = new CancellationTokenSource();

        // Wait is unary on the wire but the duplex API may carry it: one request, then read.
        await call.WriteAsync(new EchoRequest { Text = "w" });
        await call.CompleteRequestAsync();
        await server.Service.WaitStarted.Task.WaitAsync(Generous);
        var read = call.ReadAsync(cancel.Token);
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAsync<RpcException>(async () => await read);
        Assert.Equal(StatusCode.Cancelled, e.Status);
        Assert.True((await server.Service.WaitCancelled.Task.WaitAsync(Generous)).CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Zero_timeout_fails_DEADLINE_EXCEEDED_without_calling()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var e = await Assert.ThrowsAsync<RpcException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Wait, new EchoRequest(), new CallOptions(TimeSpan.Zero)));

        Assert.Equal(StatusCode.DeadlineExceeded, e.Status);
        Assert.False(server.Service.WaitStarted.Task.IsCompleted);
    }

    [Fact]
    public async Task Server_accepts_the_largest_grpc_timeout()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { Text = "deadline" }, new CallOptions(TimeSpan.MaxValue));

        Assert.Equal("set", reply.Text);
    }

    [Fact]
    public async Task Malformed_grpc_timeout_is_answered_INTERNAL_naming_it()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Address + TestMethods.Echo)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[5]) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.TryAddWithoutValidation("grpc-timeout", "12345678901S");

        using var response = await invoker.SendAsync(request, CancellationToken.None).WaitAsync(Generous);

        Assert.Equal("13", response.Headers.GetValues("grpc-status").Single());
        Assert.Contains("12345678901S", response.Headers.GetValues("grpc-message").Single());
    }
}
