using Microsoft.AspNetCore.Http;

namespace Vtorc.Protocol.Grpc;

/// <summary>What a server handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    private readonly HttpContext _http;
    private IReadOnlyList<KeyValuePair<string, string>>? _requestHeaders;

    internal ServerCallContext(HttpContext http, string method, CancellationToken cancellationToken, DateTimeOffset? deadline)
    {
        _http = http;
        Method = method;
        CancellationToken = cancellationToken;
        Deadline = deadline;
    }

    /// <summary>The full method path, e.g. "/grpctest.TestService/Echo".</summary>
    public string Method { get; }

    /// <summary>Fires when the client cancels, the deadline passes, or the server shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>From the client's grpc-timeout; null when the client set none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Custom metadata sent by the client (reserved gRPC and HTTP/2 headers excluded).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders => _requestHeaders ??= CollectRequestHeaders(_http);

    /// <summary>The client's address, "ip:port".</summary>
    public string Peer => _http.Connection.RemoteIpAddress is { } ip
        ? (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString()) + ":" + _http.Connection.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : "unknown";

    private static List<KeyValuePair<string, string>> CollectRequestHeaders(HttpContext http)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in http.Request.Headers)
        {
            if (GrpcProtocol.IsReservedHeader(name))
            {
                continue;
            }
            foreach (var value in values)
            {
                list.Add(new KeyValuePair<string, string>(name.ToLowerInvariant(), value ?? string.Empty));
            }
        }
        return list;
    }
}
