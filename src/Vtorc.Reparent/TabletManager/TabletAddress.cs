using System.Globalization;
using Topodata;
using Grpc.Core;
using Vtorc.Topo;

namespace Vtorc.Reparent.TabletManager;

/// <summary>
/// Where a tablet's TabletManager listens, and whether it may be dialled at all (as
/// go/vt/vttablet/grpctmclient/client.go decides): never a tablet that shut down, one without a hostname or one without
/// a usable "grpc" port.
/// </summary>
public static class TabletAddress
{
    public const string GrpcPortName = "grpc";

    /// <summary><c>hostname:port_map["grpc"]</c>, the host bracketed when it is an IPv6 address.</summary>
    /// <exception cref="RpcException">UNAVAILABLE when the tablet shut down; FAILED_PRECONDITION when it has no
    /// hostname or no positive grpc port. The message names the tablet and <paramref name="method"/>.</exception>
    public static string Of(Tablet tablet, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(tablet);
        string alias = tablet.Alias is { } a ? a.ToText() : "(no alias)";
        if (tablet.TabletShutdownTime is not null)
        {
            throw TabletRpcErrors.Create(StatusCode.Unavailable, $"tablet {alias}: tablet is shutdown", method);
        }
        if (string.IsNullOrEmpty(tablet.Hostname))
        {
            throw TabletRpcErrors.Create(StatusCode.FailedPrecondition, $"tablet {alias}: empty tablet hostname", method);
        }
        if (!tablet.PortMap.TryGetValue(GrpcPortName, out int port))
        {
            string ports = tablet.PortMap.Count == 0
                ? "its port_map is empty"
                : "its port_map has only " + string.Join(", ", tablet.PortMap.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
            throw TabletRpcErrors.Create(StatusCode.FailedPrecondition, $"tablet {alias}: no \"grpc\" port ({ports})", method);
        }
        if (port <= 0)
        {
            throw TabletRpcErrors.Create(StatusCode.FailedPrecondition,
                string.Create(CultureInfo.InvariantCulture, $"tablet {alias}: invalid grpc port {port}"), method);
        }
        return HostPort(tablet.Hostname, port);
    }

    /// <summary>Joins host and port, bracketing a bare IPv6 host.</summary>
    public static string HostPort(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        bool bareIpv6 = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[');
        string portText = port.ToString(CultureInfo.InvariantCulture);
        return bareIpv6 ? $"[{host}]:{portText}" : $"{host}:{portText}";
    }
}
