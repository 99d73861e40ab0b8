using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>Reads length-prefixed messages from a body, however the bytes are split across reads.</summary>
public sealed class GrpcMessageReader
{
    private readonly PipeReader _reader;
    private readonly int _maxMessageSize;

    public GrpcMessageReader(PipeReader reader, int maxMessageSize)
    {
        _reader = reader;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>The next message; null at a clean end of the body. A body ending inside a message is INTERNAL.</summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool complete;
            ReadOnlySequence<byte> payload;
            try
            {
                complete = GrpcFraming.TryReadMessage(ref buffer, _maxMessageSize, out payload);
            }
            catch
            {
                _reader.AdvanceTo(buffer.Start);
                throw;
            }
            if (complete)
            {
                T message;
                try
                {
                    message = parser.ParseFrom(payload);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(StatusCode.Internal, $"cannot parse {typeof(T).Name}: {e.Message}", inner: e);
                }
                finally
                {
                    _reader.AdvanceTo(buffer.Start);
                }
                return message;
            }
            if (result.IsCompleted)
            {
                var left = buffer.Length;
                _reader.AdvanceTo(buffer.End);
                if (left == 0)
                {
                    return null;
                }
                throw new RpcException(
                    StatusCode.Internal,
                    string.Create(CultureInfo.InvariantCulture, $"body ended inside a message ({left} bytes of an incomplete message)"));
            }
            if (result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException(cancellationToken);
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
