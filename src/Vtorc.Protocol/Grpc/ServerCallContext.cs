namespace Vtorc.Protocol.Grpc;

/// <summary>What a server handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    internal ServerCallContext(
        string method,
        CancellationToken cancellationToken,
        DateTimeOffset? deadline,
        IReadOnlyList<KeyValuePair<string, string>> requestHeaders,
        string peer)
    {
        Method = method;
        CancellationToken = cancellationToken;
        Deadline = deadline;
        RequestHeaders = requestHeaders;
        Peer = peer;
    }

    /// <summary>The full method path, e.g. "/grpctest.TestService/Echo".</summary>
    public string Method { get; }

    /// <summary>Fires when the client cancels, the deadline passes, or the server shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>From the client's grpc-timeout; null when the client set none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Custom metadata sent by the client (reserved gRPC and HTTP/2 headers excluded).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; }

    /// <summary>The client's address, "ip:port".</summary>
    public string Peer { get; }
}
