using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Vtorc.Protocol.Grpc;

/// <summary>
/// SocketsHttpHandler measures round-trip times with HTTP/2 PING frames to grow its receive windows. Vitess
/// tablets (grpc-go) count every PING against a keepalive policy and close the connection after three early ones
/// (docs/wire-format.md, "Reaching a tablet"), so our channels must send none. .NET only offers a process-wide switch,
/// read once when the first handler is created; we set it as soon as this assembly loads, unless the application chose
/// a value. Applications can make it certain with the runtimeconfig option of the same name.
/// </summary>
internal static class Http2PingSuppression
{
    public const string SwitchName = "System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The switch must be set before any SocketsHttpHandler exists; loading this assembly is the earliest hook.")]
    internal static void Apply()
    {
        if (!AppContext.TryGetSwitch(SwitchName, out _))
        {
            AppContext.SetSwitch(SwitchName, true);
        }
    }
}
