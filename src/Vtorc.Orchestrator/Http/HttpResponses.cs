using System.Text;
using Microsoft.AspNetCore.Http;

namespace Vtorc.Orchestrator.Http;

/// <summary>The response forms VTOrc's handlers use (Go's <c>http.Error</c>, <c>writePlainTextResponse</c>, <c>returnAsJSON</c>).</summary>
internal static class HttpResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string PlainTextContentType = "text/plain; charset=utf-8";
    public const string HtmlContentType = "text/html; charset=utf-8";

    /// <summary>Plain text with a trailing newline and <c>nosniff</c>, like Go's <c>http.Error</c> and <c>fmt.Fprintln</c>.</summary>
    public static Task PlainTextAsync(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = PlainTextContentType;
        response.Headers.XContentTypeOptions = "nosniff";
        return WriteAsync(response, text.EndsWith('\n') ? text : text + "\n", context.RequestAborted);
    }

    /// <summary>A JSON document already rendered by <see cref="GoJsonSerializer"/>.</summary>
    public static Task JsonAsync(HttpContext context, int status, string json)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonContentType;
        return WriteAsync(response, json, context.RequestAborted);
    }

    /// <summary>JSON sent as <c>text/plain</c> (what <c>/api/database-state</c> and <c>/api/config</c> do).</summary>
    public static Task JsonAsPlainTextAsync(HttpContext context, string json) =>
        PlainTextAsync(context, StatusCodes.Status200OK, json);

    public static Task HtmlAsync(HttpContext context, string html)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = HtmlContentType;
        return WriteAsync(response, html, context.RequestAborted);
    }

    public static Task TextAsync(HttpContext context, string contentType, string body)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        return WriteAsync(response, body, context.RequestAborted);
    }

    private static async Task WriteAsync(HttpResponse response, string body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
