using Google.Protobuf;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcUnaryAndStreamingTests
{
    private static CallOptions Deadline => new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Unary_echo_returns_the_request_text_and_payload()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(
            TestMethods.Echo, new EchoRequest { Text = "hello", Payload = ByteString.CopyFromUtf8("abc") }, Deadline);

        Assert.Equal("hello", reply.Text);
        Assert.Equal("abc", reply.Payload.ToStringUtf8());
    }

    [Fact]
    public async Task Unary_with_an_empty_message_round_trips()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest(), Deadline);

        Assert.Equal(new EchoReply(), reply);
    }

    [Fact]
    public async Task Host_port_target_without_scheme_uses_h2c()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = GrpcChannel.Create("127.0.0.1:" + server.Server.Port);

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "plain" }, Deadline);

        Assert.Equal("plain", reply.Text);
    }

    [Fact]
    public async Task Custom_metadata_reaches_the_server_handler()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        var options = Deadline with { Headers = [new("x-user", "alice"), new("x-role", "admin")] };

        var reply = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "headers" }, options);

        Assert.Equal(["x-role=admin", "x-user=alice"], reply.Text.Split(';').Order());
    }

    [Fact]
    public async Task Timeout_reaches_the_server_as_a_deadline()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var withDeadline = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "deadline" }, Deadline);
        var withoutDeadline = await channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest { Text = "deadline" }, default);

        Assert.Equal("set", withDeadline.Text);
        Assert.Equal("none", withoutDeadline.Text);
    }

    [Fact]
    public async Task Reserved_metadata_name_is_rejected_naming_the_header()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        var options = Deadline with { Headers = [new("grpc-status", "0")] };

        var e = await Assert.ThrowsAsync<ArgumentException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest(), options));

        Assert.Contains("\"grpc-status\"", e.Message);
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var numbers = new List<int>();
        await foreach (var reply in channel.ServerStreamingAsync<CountRequest, CountReply>(TestMethods.Count, new CountRequest { Count = 100 }, Deadline))
        {
            numbers.Add(reply.Number);
        }

        Assert.Equal(Enumerable.Range(1, 100), numbers);
    }

    [Fact]
    public async Task Server_streaming_with_no_messages_ends_cleanly()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var count = 0;
        await foreach (var _ in channel.ServerStreamingAsync<CountRequest, CountReply>(TestMethods.Count, new CountRequest { Count = 0 }, Deadline))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Server_streaming_error_after_messages_arrives_after_those_messages()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();

        var numbers = new List<int>();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in channel.ServerStreamingAsync<CountRequest, CountReply>(TestMethods.Count, new CountRequest { Count = -1 }, Deadline))
            {
                numbers.Add(reply.Number);
            }
        });

        Assert.Equal([1, 2], numbers);
        Assert.Equal(StatusCode.InvalidArgument, e.Status);
        Assert.Equal("negative count", e.Detail);
    }

    [Fact]
    public async Task Bidi_ping_pong_then_half_close_ends_with_the_servers_last_message()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        await using var call = channel.DuplexStreaming<EchoRequest, EchoReply>(TestMethods.Chat, Deadline);

        for (var i = 0; i < 5; i++)
        {
            await call.WriteAsync(new EchoRequest { Text = "ping" + i });
            var reply = await call.ReadAsync();
            Assert.Equal("echo:ping" + i, reply?.Text);
        }
        await call.CompleteRequestAsync();

        Assert.Equal("done", (await call.ReadAsync())?.Text);
        Assert.Null(await call.ReadAsync());
    }

    [Fact]
    public async Task Client_streaming_sums_all_requests_after_half_close()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        await using var call = channel.DuplexStreaming<CountRequest, CountReply>(TestMethods.Sum, Deadline);

        for (var i = 1; i <= 10; i++)
        {
            await call.WriteAsync(new CountRequest { Count = i });
        }
        await call.CompleteRequestAsync();

        Assert.Equal(55, (await call.ReadAsync())?.Number);
        Assert.Null(await call.ReadAsync());
    }

    [Fact]
    public async Task Metadata_value_outside_printable_ascii_is_rejected_naming_the_header()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        var options = Deadline with { Headers = [new("x-note", "two\nlines")] };

        var e = await Assert.ThrowsAsync<ArgumentException>(
            () => channel.UnaryAsync<EchoRequest, EchoReply>(TestMethods.Echo, new EchoRequest(), options));

        Assert.Contains("\"x-note\"", e.Message);
    }

    [Fact]
    public async Task Bidi_write_after_the_server_ended_fails_and_reads_still_report_the_servers_status()
    {
        await using var server = await LoopbackGrpcServer.StartAsync();
        using var channel = server.CreateChannel();
        // Fail is unary on the wire; the duplex API can carry it while keeping the request side open.
        await using var call = channel.DuplexStreaming<EchoRequest, EchoReply>(TestMethods.Fail, Deadline);
        await call.WriteAsync(new EchoRequest { Text = "rpc" });

        var first = await Assert.ThrowsAsync<RpcException>(async () => await call.ReadAsync());
        await Assert.ThrowsAsync<RpcException>(async () => await call.WriteAsync(new EchoRequest { Text = "late" }));
        var again = await Assert.ThrowsAsync<RpcException>(async () => await call.ReadAsync());

        Assert.Equal(StatusCode.NotFound, first.Status);
        Assert.Equal("x y%", first.Detail);
        Assert.Equal(StatusCode.NotFound, again.Status);
    }
}
