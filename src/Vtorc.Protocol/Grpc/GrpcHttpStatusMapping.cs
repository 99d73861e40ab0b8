namespace Vtorc.Protocol.Grpc;

/// <summary>Status codes synthesised from transport-level outcomes (as grpc-go internal/transport/http_util.go maps
/// them).</summary>
public static class GrpcHttpStatusMapping
{
    /// <summary>The status a client reports for a response whose HTTP status is not 200.</summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>The status for a stream reset by the peer with an HTTP/2 error code (RST_STREAM or GOAWAY).</summary>
    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x7 => StatusCode.Unavailable,       // REFUSED_STREAM: not processed, safe to retry
        0x8 => StatusCode.Cancelled,         // CANCEL
        0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
        0xC => StatusCode.PermissionDenied,  // INADEQUATE_SECURITY
        _ => StatusCode.Internal,
    };
}
