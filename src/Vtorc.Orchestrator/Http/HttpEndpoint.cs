using Microsoft.AspNetCore.Http;

namespace Vtorc.Orchestrator.Http;

/// <summary>
/// One path the server answers: the ACL role it needs, whether it is an action (GET and POST, as VTOrc's admin
/// actions take any method) or a read (GET/HEAD), and the handler, which gets a token bounded by the request deadline.
/// Our page's endpoints answer their errors as JSON (<see cref="JsonErrors"/>), and its actions take POST only.
/// </summary>
public sealed record HttpEndpoint(string Path, AclRole Role, bool IsAction, Func<HttpContext, CancellationToken, Task> Handle)
{
    public static HttpEndpoint Read(string path, AclRole role, Func<HttpContext, CancellationToken, Task> handle) =>
        new(path, role, false, handle);

    public static HttpEndpoint Action(string path, AclRole role, Func<HttpContext, CancellationToken, Task> handle) =>
        new(path, role, true, handle);

    /// <summary>A read whose errors are <c>{"Error": "…"}</c>.</summary>
    public static HttpEndpoint JsonRead(string path, AclRole role, Func<HttpContext, CancellationToken, Task> handle) =>
        new(path, role, false, handle) { JsonErrors = true };

    /// <summary>A POST-only action whose errors are <c>{"Error": "…"}</c>.</summary>
    public static HttpEndpoint JsonPost(string path, AclRole role, Func<HttpContext, CancellationToken, Task> handle) =>
        new(path, role, true, handle) { JsonErrors = true, PostOnly = true };

    /// <summary>Errors (refusals, bad input, failures) are answered as <c>{"Error": "…"}</c> instead of plain text.</summary>
    public bool JsonErrors { get; private init; }

    /// <summary>Only POST is accepted: an action a link or an image tag cannot trigger.</summary>
    public bool PostOnly { get; private init; }

    public bool Accepts(string method) => PostOnly
        ? HttpMethods.IsPost(method)
        : HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || (IsAction && HttpMethods.IsPost(method));

    public string AllowHeader => PostOnly ? "POST" : IsAction ? "GET, HEAD, POST" : "GET, HEAD";
}
