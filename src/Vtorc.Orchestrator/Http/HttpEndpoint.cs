using Microsoft.AspNetCore.Http;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// One path the server answers: the ACL role it needs, whether it is an action (GET and POST, as VTOrc's admin
/// actions take any method) or a read (GET/HEAD), and the handler, which gets a token bounded by the request deadline.
/// </summary>
internal sealed record HttpEndpoint(string Path, AclRole Role, bool IsAction, Func<HttpContext, CancellationToken, Task> Handle)
{
    public static HttpEndpoint Read(string path, AclRole role, Func<HttpContext, CancellationToken, Task> handle) =>
        new(path, role, false, handle);

    public static HttpEndpoint Action(string path, AclRole role, Func<HttpContext, CancellationToken, Task> handle) =>
        new(path, role, true, handle);

    public bool Accepts(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || (IsAction && HttpMethods.IsPost(method));

    public string AllowHeader => IsAction ? "GET, HEAD, POST" : "GET, HEAD";
}
