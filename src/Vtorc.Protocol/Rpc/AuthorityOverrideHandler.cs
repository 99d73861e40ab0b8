namespace Vtorc.Protocol.Rpc;

/// <summary>
/// Sends every request with another Host (:authority). SocketsHttpHandler takes the TLS server name (SNI and certificate
/// check) from it, so a server-name override travels as grpc-go sends it.
/// </summary>
internal sealed class AuthorityOverrideHandler(string authority, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = authority;
        return base.SendAsync(request, cancellationToken);
    }
}
