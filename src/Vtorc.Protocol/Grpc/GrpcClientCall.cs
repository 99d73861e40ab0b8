using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// The client side of one call: sends the request, reads response messages incrementally, turns trailers and
/// transport failures into a status. Every failure leaves as an <see cref="RpcException"/> naming the method.
/// </summary>
internal sealed class GrpcClientCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly MessageParser<TResponse> Parser = new(() => new TResponse());
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024);

    private readonly GrpcChannel _channel;
    private readonly string _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts;
    private HttpRequestMessage? _request;
    private Task<HttpResponseMessage>? _responseTask;
    private HttpResponseMessage? _response;
    private GrpcMessageReader? _reader;
    private PipeReader? _body;
    private RpcException? _failure;
    private bool _ended;
    private volatile bool _cancelledLocally;
    private int _disposed;

    public GrpcClientCall(GrpcChannel channel, string method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _cts = options.CancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken)
            : new CancellationTokenSource();
        if (options.Timeout is { } timeout && timeout <= GrpcTimeout.MaxTimer)
        {
            _cts.CancelAfter(timeout);
        }
    }

    public string Method => _method;

    /// <summary>Completes when the response headers arrived or the call failed before them.</summary>
    public Task ResponseTask => _responseTask ?? Task.CompletedTask;

    public CancellationToken Token => _cts.Token;

    public void Start(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.UriFor(_method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        if (_channel.AuthorityOverride is { } authority)
        {
            headers.Host = authority;
        }
        if (_options.Timeout is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Encode(timeout));
        }
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("User-Agent", GrpcProtocol.UserAgent);
        if (_options.Headers is { } metadata)
        {
            foreach (var (name, value) in metadata)
            {
                if (!GrpcProtocol.IsValidMetadataName(name))
                {
                    request.Dispose();
                    throw new ArgumentException(
                        $"metadata name \"{name}\" is not allowed: use lower-case [0-9a-z_.-] and no reserved (grpc-, content-type, te, ...) names",
                        nameof(CallOptions.Headers));
                }
                if (!GrpcProtocol.IsValidMetadataValue(value))
                {
                    request.Dispose();
                    throw new ArgumentException(
                        $"metadata \"{name}\" has a value with characters outside printable ASCII: \"{value}\"", nameof(CallOptions.Headers));
                }
                headers.TryAddWithoutValidation(name, value);
            }
        }
        _request = request;
        _responseTask = _channel.Invoker.SendAsync(request, _cts.Token);
    }

    /// <summary>The next message; null after an OK end of the call. Non-OK ends and failures throw.</summary>
    public async ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_failure is not null)
        {
            throw _failure;
        }
        if (_ended)
        {
            return null;
        }
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((GrpcClientCall<TResponse>)s!).CancelLocally(), this)
            : default;
        try
        {
            if (_reader is null)
            {
                var response = await _responseTask!.ConfigureAwait(false);
                _response = response;
                if (TrailersOnlyOrBadResponse(response) is { } headerStatus)
                {
                    _ended = true;
                    ThrowIfNotOk(headerStatus);
                    return null;
                }
                var stream = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
                _body = PipeReader.Create(stream, ReaderOptions);
                _reader = new GrpcMessageReader(_body, _channel.Options.MaxReceiveMessageSize);
            }
            var message = await _reader.ReadAsync(Parser, _cts.Token).ConfigureAwait(false);
            if (message is not null)
            {
                return message;
            }
            _ended = true;
            ReleaseBody();
            ThrowIfNotOk(StatusFrom(_response!.TrailingHeaders, "trailers"));
            return null;
        }
        catch (Exception e)
        {
            ReleaseBody();
            throw Fail(e);
        }
    }

    /// <summary>Returns the body reader's pooled buffers; only on the reading path, as PipeReader is single-threaded.</summary>
    private void ReleaseBody()
    {
        var body = _body;
        _body = null;
        body?.Complete();
    }

    /// <summary>Turns any failure into the call's final <see cref="RpcException"/> and stops the stream.</summary>
    public RpcException Fail(Exception e)
    {
        if (_failure is not null)
        {
            return _failure;
        }
        var failure = Describe(e);
        _failure = failure;
        _ended = true;
        if (failure.Status != StatusCode.OK)
        {
            Abort();
        }
        return failure;
    }

    /// <summary>The <see cref="RpcException"/> that stands for <paramref name="e"/>, without ending the call.</summary>
    public RpcException Describe(Exception e) => e switch
    {
        RpcException { Method: not null } rpc => rpc,
        RpcException rpc => new RpcException(rpc.Status, rpc.Detail, _method, rpc.InnerException),
        _ => Translate(e),
    };

    private RpcException Translate(Exception e)
    {
        if (_cancelledLocally || _options.CancellationToken.IsCancellationRequested)
        {
            return new RpcException(StatusCode.Cancelled, "call cancelled by the client", _method, e);
        }
        if (_cts.IsCancellationRequested && _options.Timeout is { } timeout)
        {
            return new RpcException(
                StatusCode.DeadlineExceeded,
                string.Create(CultureInfo.InvariantCulture, $"deadline of {timeout.TotalMilliseconds:0.###} ms exceeded"),
                _method,
                e);
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                return new RpcException(
                    GrpcHttpStatusMapping.FromHttp2ErrorCode(protocol.ErrorCode),
                    string.Create(CultureInfo.InvariantCulture, $"stream reset with HTTP/2 error code 0x{protocol.ErrorCode:X}: {protocol.Message}"),
                    _method,
                    e);
            }
        }
        return e switch
        {
            ObjectDisposedException => new RpcException(StatusCode.Cancelled, "the channel was disposed during the call", _method, e),
            HttpRequestException or IOException or OperationCanceledException =>
                new RpcException(StatusCode.Unavailable, $"{_channel.Target}: {MessageWithInner(e)}", _method, e),
            _ => new RpcException(StatusCode.Internal, $"{e.GetType().Name}: {e.Message}", _method, e),
        };
    }

    private static string MessageWithInner(Exception e) =>
        e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? e.Message + " (" + inner.Message + ")"
            : e.Message;

    /// <summary>Null for a normal response whose body follows; otherwise the status it already carries.</summary>
    private (StatusCode Code, string Detail)? TrailersOnlyOrBadResponse(HttpResponseMessage response)
    {
        var http = (int)response.StatusCode;
        if (http != 200)
        {
            return (GrpcHttpStatusMapping.FromHttpStatus(http),
                string.Create(CultureInfo.InvariantCulture, $"unexpected HTTP status {http} ({response.ReasonPhrase ?? response.StatusCode.ToString()})"));
        }
        if (response.Headers.NonValidated.Contains(GrpcProtocol.StatusHeader))
        {
            return StatusFrom(response.Headers, "headers");
        }
        response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var contentTypes);
        var contentType = contentTypes.Count > 0 ? contentTypes.ToString() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            return (StatusCode.Unknown, $"unexpected content-type \"{contentType}\"");
        }
        return null;
    }

    private static (StatusCode Code, string Detail) StatusFrom(HttpHeaders headers, string where)
    {
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues) || statusValues.Count == 0)
        {
            return (StatusCode.Internal, $"server ended the call without grpc-status in its {where}");
        }
        var statusText = statusValues.ToString();
        if (!int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return (StatusCode.Internal, $"malformed grpc-status \"{statusText}\"");
        }
        var detail = headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messageValues) && messageValues.Count > 0
            ? GrpcStatusMessage.Decode(messageValues.ToString())
            : string.Empty;
        return ((StatusCode)code, detail);
    }

    private void ThrowIfNotOk((StatusCode Code, string Detail) status)
    {
        if (status.Code != StatusCode.OK)
        {
            throw new RpcException(status.Code, status.Detail, _method);
        }
    }

    /// <summary>Cancels the call on the caller's behalf: the stream is reset with CANCEL.</summary>
    public void CancelLocally()
    {
        _cancelledLocally = true;
        Abort();
    }

    private void Abort()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (!_ended)
        {
            _failure ??= new RpcException(StatusCode.Cancelled, "call cancelled by the client (disposed before it ended)", _method);
            CancelLocally();
        }
        _response?.Dispose();
        if (_response is null && _responseTask is { } pending)
        {
            // The response may still arrive after we gave up; release it then, and observe any fault.
            _ = pending.ContinueWith(
                static t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        t.Result.Dispose();
                    }
                    else
                    {
                        _ = t.Exception;
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        _request?.Dispose();
        _cts.Dispose();
    }
}
