using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// The operator page's files, embedded in the assembly (no external asset, no build step): the HTML at <c>/</c>, the
/// script and the style sheet under content-hashed paths (<c>/ui/app.&lt;hash&gt;.js</c>), so a browser may keep them
/// for a year and still gets a new version the moment the daemon is upgraded; the HTML itself is revalidated on every
/// load (ETag). Every answer carries a Content-Security-Policy that allows only this origin's script, style and
/// fetches — no inline script, no framing.
/// </summary>
internal sealed class UiAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private UiAssets(Asset page, Asset script, Asset style)
    {
        Page = page;
        Script = script;
        Style = style;
    }

    public Asset Page { get; }

    public Asset Script { get; }

    public Asset Style { get; }

    public static UiAssets Load()
    {
        var script = Asset.Create("app.js", "text/javascript; charset=utf-8", Read("app.js"));
        var style = Asset.Create("app.css", "text/css; charset=utf-8", Read("app.css"));
        var html = Read("index.html").Replace("{{script}}", script.Path, StringComparison.Ordinal).Replace("{{style}}", style.Path, StringComparison.Ordinal);
        return new UiAssets(Asset.Create("", HttpResponses.HtmlContentType, html, path: "/"), script, style);
    }

    private static string Read(string name)
    {
        var resource = $"Vtorc.Orchestrator.Http.Ui.Assets.{name}";
        using var stream = typeof(UiAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>One embedded file with its ETag.</summary>
    internal sealed class Asset
    {
        private Asset(string path, string contentType, byte[] body, string etag, bool immutable)
        {
            Path = path;
            ContentType = contentType;
            Body = body;
            ETag = etag;
            Immutable = immutable;
        }

        public string Path { get; }

        public string ContentType { get; }

        public byte[] Body { get; }

        public string ETag { get; }

        /// <summary>Served under a content-hashed path: cacheable for ever.</summary>
        public bool Immutable { get; }

        public static Asset Create(string name, string contentType, string text, string? path = null)
        {
            var body = Encoding.UTF8.GetBytes(text);
            var hash = Convert.ToHexStringLower(SHA256.HashData(body))[..16];
            if (path is not null)
            {
                return new Asset(path, contentType, body, $"\"{hash}\"", immutable: false);
            }
            var dot = name.LastIndexOf('.');
            return new Asset($"/ui/{name[..dot]}.{hash}{name[dot..]}", contentType, body, $"\"{hash}\"", immutable: true);
        }

        public async Task ServeAsync(HttpContext context)
        {
            var response = context.Response;
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.XFrameOptions = "DENY";
            response.Headers.CacheControl = Immutable ? "public, max-age=31536000, immutable" : "no-cache";
            response.Headers.ETag = ETag;
            if (context.Request.Headers.IfNoneMatch.Contains(ETag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.ContentLength = Body.Length;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await response.Body.WriteAsync(Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
