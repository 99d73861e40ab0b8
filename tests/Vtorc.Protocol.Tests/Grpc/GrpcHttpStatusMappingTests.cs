using Vtorc.Protocol.Grpc;

namespace Vtorc.Protocol.Tests.Grpc;

public sealed class GrpcHttpStatusMappingTests
{
    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(415, StatusCode.Unknown)]
    [InlineData(302, StatusCode.Unknown)]
    public void Non_200_HTTP_status_maps_like_grpc_go(int httpStatus, StatusCode expected)
    {
        Assert.Equal(expected, GrpcHttpStatusMapping.FromHttpStatus(httpStatus));
    }

    [Theory]
    [InlineData(0x0, StatusCode.Internal)]
    [InlineData(0x1, StatusCode.Internal)]
    [InlineData(0x2, StatusCode.Internal)]
    [InlineData(0x7, StatusCode.Unavailable)]
    [InlineData(0x8, StatusCode.Cancelled)]
    [InlineData(0xB, StatusCode.ResourceExhausted)]
    [InlineData(0xC, StatusCode.PermissionDenied)]
    public void Http2_reset_code_maps_to_status(long errorCode, StatusCode expected)
    {
        Assert.Equal(expected, GrpcHttpStatusMapping.FromHttp2ErrorCode(errorCode));
    }

    [Theory]
    [InlineData(StatusCode.OK, "OK")]
    [InlineData(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED")]
    [InlineData(StatusCode.Unauthenticated, "UNAUTHENTICATED")]
    [InlineData((StatusCode)42, "CODE(42)")]
    public void Status_names_are_the_canonical_upper_case_ones(StatusCode code, string name)
    {
        Assert.Equal(name, StatusCodeNames.Name(code));
    }
}
