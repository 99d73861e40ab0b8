using System.IO.Pipelines;
using Google.Protobuf;
using Vtorc.Protocol.Grpc;
using Vtorc.Protocol.Tests.GrpcTest;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcFramingTests
{
    private static readonly MessageParser<EchoReply> Parser = EchoReply.Parser;

    private static byte[] Frame(IMessage message)
    {
        var framed = new byte[GrpcFraming.FramedSize(message, int.MaxValue)];
        GrpcFraming.WriteMessage(message, framed);
        return framed;
    }

    [Fact]
    public void Frame_is_flag_zero_then_big_endian_length_then_message()
    {
        var message = new EchoReply { Text = new string('a', 300) };

        var framed = Frame(message);

        var body = message.ToByteArray();
        Assert.Equal([0, 0, 0, (byte)(body.Length >> 8), (byte)body.Length], framed[..5]);
        Assert.Equal(body, framed[5..]);
    }

    [Fact]
    public void Empty_message_is_five_zero_bytes()
    {
        Assert.Equal(new byte[5], Frame(new EchoReply()));
    }

    [Fact]
    public async Task Message_split_across_reads_is_reassembled()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024 * 1024);
        var message = new EchoReply { Text = "split", Payload = ByteString.CopyFrom(new byte[10_000]) };
        var framed = Frame(message);

        var read = reader.ReadAsync(Parser, CancellationToken.None).AsTask();
        foreach (var chunk in framed.Chunk(7))
        {
            Assert.False(read.IsCompleted);
            await pipe.Writer.WriteAsync(chunk);
        }

        Assert.Equal(message, await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Header_split_byte_by_byte_is_reassembled()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024);
        var message = new EchoReply { Text = "bytes" };

        var read = reader.ReadAsync(Parser, CancellationToken.None).AsTask();
        foreach (var b in Frame(message))
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        Assert.Equal(message, await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Several_messages_in_one_read_come_out_one_by_one_then_end()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024);
        var messages = new[] { new EchoReply { Text = "one" }, new EchoReply(), new EchoReply { Text = "three" } };
        await pipe.Writer.WriteAsync(messages.SelectMany(Frame).ToArray());
        await pipe.Writer.CompleteAsync();

        foreach (var expected in messages)
        {
            Assert.Equal(expected, await reader.ReadAsync(Parser, CancellationToken.None));
        }
        Assert.Null(await reader.ReadAsync(Parser, CancellationToken.None));
    }

    [Fact]
    public async Task Oversized_message_is_refused_from_its_header_with_RESOURCE_EXHAUSTED()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 100);
        // Only the header: the limit must be enforced before the body is buffered.
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 101 });

        var e = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Parser, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, e.Status);
        Assert.Contains("101", e.Detail);
    }

    [Fact]
    public async Task Message_exactly_at_the_limit_is_accepted()
    {
        var pipe = new Pipe();
        var message = new EchoReply { Payload = ByteString.CopyFrom(new byte[97]) };
        var framed = Frame(message);
        var reader = new GrpcMessageReader(pipe.Reader, framed.Length - 5);
        await pipe.Writer.WriteAsync(framed);

        Assert.Equal(message, await reader.ReadAsync(Parser, CancellationToken.None));
    }

    [Fact]
    public async Task Compressed_flag_without_negotiated_encoding_is_INTERNAL()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024);
        await pipe.Writer.WriteAsync(new byte[] { 1, 0, 0, 0, 0 });

        var e = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Parser, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, e.Status);
        Assert.Contains("compressed", e.Detail);
    }

    [Fact]
    public async Task Body_ending_inside_a_message_is_INTERNAL()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024);
        await pipe.Writer.WriteAsync(Frame(new EchoReply { Text = "cut short" })[..8]);
        await pipe.Writer.CompleteAsync();

        var e = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Parser, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, e.Status);
    }

    [Fact]
    public async Task Undecodable_message_is_INTERNAL()
    {
        var pipe = new Pipe();
        var reader = new GrpcMessageReader(pipe.Reader, 1024);
        // Field 1, length-delimited, claims 100 bytes but only 1 follows.
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 3, 0x0A, 100, 1 });

        var e = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Parser, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, e.Status);
    }

    [Fact]
    public void Sending_above_the_limit_is_RESOURCE_EXHAUSTED()
    {
        var e = Assert.Throws<RpcException>(() => GrpcFraming.FramedSize(new EchoReply { Payload = ByteString.CopyFrom(new byte[200]) }, 100));

        Assert.Equal(StatusCode.ResourceExhausted, e.Status);
    }
}
