using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Vtorc.Protocol.Grpc;

/// <summary>The server side of one call: request reading, response writing, and the final status.</summary>
internal sealed class ServerCall : IDisposable
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenSource? _deadline;
    private readonly CancellationToken _shutdown;
    private GrpcMessageReader? _reader;

    public ServerCall(HttpContext http, string method, GrpcServerOptions options, TimeSpan? timeout, CancellationToken shutdown)
    {
        _http = http;
        _options = options;
        _shutdown = shutdown;
        DateTimeOffset? deadline = null;
        if (timeout is { } t)
        {
            var now = DateTimeOffset.UtcNow;
            deadline = t < DateTimeOffset.MaxValue - now ? now + t : DateTimeOffset.MaxValue;
        }
        if (timeout is { } armed && armed <= GrpcTimeout.MaxTimer)
        {
            _deadline = new CancellationTokenSource(armed);
            _cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, shutdown, _deadline.Token);
        }
        else
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, shutdown);
        }
        Context = new ServerCallContext(http, method, _cts.Token, deadline);
    }

    public ServerCallContext Context { get; }

    public bool WroteMessage { get; private set; }

    public bool DeadlineExpired => _deadline?.IsCancellationRequested == true;

    public bool ClientGone => _http.RequestAborted.IsCancellationRequested;

    public ValueTask<T?> ReadRequestAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        _reader ??= new GrpcMessageReader(_http.Request.BodyReader, _options.MaxReceiveMessageSize);
        return cancellationToken.CanBeCanceled && cancellationToken != Context.CancellationToken
            ? ReadLinkedAsync(parser, cancellationToken)
            : _reader.ReadAsync(parser, Context.CancellationToken);
    }

    private async ValueTask<T?> ReadLinkedAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Context.CancellationToken);
        return await _reader!.ReadAsync(parser, linked.Token).ConfigureAwait(false);
    }

    /// <summary>Frames a message into the response body without flushing it.</summary>
    public void WriteMessage(IMessage message)
    {
        var size = GrpcFraming.FramedSize(message, _options.MaxSendMessageSize);
        var writer = _http.Response.BodyWriter;
        GrpcFraming.WriteMessage(message, writer.GetSpan(size)[..size]);
        writer.Advance(size);
        WroteMessage = true;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : Context.CancellationToken;
        FlushResult result = await _http.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("the client is gone", token);
        }
    }

    /// <summary>The status a handler's failure becomes.</summary>
    public (StatusCode Code, string Detail) StatusFor(Exception e) => e switch
    {
        _ when DeadlineExpired => (StatusCode.DeadlineExceeded, "deadline exceeded"),
        RpcException rpc => (rpc.Status, rpc.Detail),
        OperationCanceledException when _shutdown.IsCancellationRequested => (StatusCode.Unavailable, "server is shutting down"),
        OperationCanceledException when ClientGone => (StatusCode.Cancelled, "call cancelled by the client"),
        _ => (StatusCode.Unknown, e.Message),
    };

    /// <summary>Ends the call: trailers after a body, or a trailers-only response when nothing was written.</summary>
    public static void SetStatus(HttpContext http, bool bodyWritten, StatusCode code, string detail)
    {
        var status = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (bodyWritten || http.Response.HasStarted)
        {
            http.Response.AppendTrailer(GrpcProtocol.StatusHeader, status);
            if (detail.Length > 0)
            {
                http.Response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcStatusMessage.Encode(detail));
            }
        }
        else
        {
            var headers = http.Response.Headers;
            headers[GrpcProtocol.StatusHeader] = status;
            if (detail.Length > 0)
            {
                headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(detail);
            }
        }
    }

    public void Dispose()
    {
        _cts.Dispose();
        _deadline?.Dispose();
    }
}
