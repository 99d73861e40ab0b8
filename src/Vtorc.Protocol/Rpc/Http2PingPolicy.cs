namespace Vtorc.Protocol.Rpc;

/// <summary>
/// SocketsHttpHandler measures round-trip times with HTTP/2 PING frames to grow its receive windows. Vitess tablets
/// (grpc-go) count every PING against their keepalive policy and close the connection after three early ones
/// (docs/wire-format.md, "Reaching a tablet"). .NET offers only a process-wide switch for it, read once when the first
/// HTTP/2 connection is made, so the executable sets it (runtimeconfig, and explicitly at the start of Main); this
/// library only checks that it is on and refuses to open a channel otherwise.
/// </summary>
public static class Http2PingPolicy
{
    public const string DisableDynamicWindowSizingSwitch = "System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing";

    /// <summary>The environment variable .NET reads when the switch is not set.</summary>
    public const string DisableDynamicWindowSizingVariable = "DOTNET_SYSTEM_NET_SOCKETSHTTPHANDLER_HTTP2FLOWCONTROL_DISABLEDYNAMICWINDOWSIZING";

    /// <summary>Whether HTTP/2 connections of this process are free of window-sizing PINGs.</summary>
    public static bool WindowSizingPingsDisabled =>
        AppContext.TryGetSwitch(DisableDynamicWindowSizingSwitch, out var disabled)
            ? disabled
            : Environment.GetEnvironmentVariable(DisableDynamicWindowSizingVariable) is { } value
              && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>For executables: call first thing in Main, before any HTTP/2 connection exists.</summary>
    public static void DisableWindowSizingPings() => AppContext.SetSwitch(DisableDynamicWindowSizingSwitch, true);

    internal static void ThrowIfWindowSizingPingsEnabled()
    {
        if (!WindowSizingPingsDisabled)
        {
            throw new InvalidOperationException(
                $"HTTP/2 window-sizing PINGs are on in this process, and Vitess tablets close connections that ping them: set the switch "
                + $"{DisableDynamicWindowSizingSwitch}=true (runtimeconfig.json, or {nameof(Http2PingPolicy)}.{nameof(DisableWindowSizingPings)}() "
                + "at the start of Main) before opening a gRPC channel");
        }
    }
}
