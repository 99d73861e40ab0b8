namespace Vtorc.Testing;

/// <summary>
/// A Go gRPC server's keepalive enforcement policy (grpc-go <c>keepalive.EnforcementPolicy</c>), as a Vitess tablet sets
/// it from <c>--grpc-server-keepalive-enforcement-policy-min-time</c> and
/// <c>--grpc-server-keepalive-enforcement-policy-permit-without-stream</c> (go/vt/servenv/grpc_server.go).
/// </summary>
/// <param name="MinTime">The shortest interval between two client PINGs that earns no strike.</param>
/// <param name="PermitWithoutStream">Whether PINGs on a connection with no open stream are judged by <paramref name="MinTime"/> too.</param>
public sealed record Http2PingEnforcementPolicy(TimeSpan MinTime, bool PermitWithoutStream)
{
    /// <summary>A vttablet with default flags: min time 10 s, no pings without a stream.</summary>
    public static Http2PingEnforcementPolicy VttabletDefaults { get; } = new(TimeSpan.FromSeconds(10), PermitWithoutStream: false);
}
