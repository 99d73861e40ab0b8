using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Vtorc.Orchestrator.Http.Ui;

/// <summary>
/// How the operator page's read model is written: compact JSON (a 2,500-shard page must stay small), ISO 8601 times
/// the browser parses, and the default encoder, which escapes HTML-significant characters. Never cached: every answer
/// is the state now.
/// </summary>
internal static class UiJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static Task WriteAsync<T>(HttpContext context, T value)
    {
        context.Response.Headers.CacheControl = "no-store";
        return HttpResponses.JsonAsync(context, StatusCodes.Status200OK, Serialize(value));
    }
}
