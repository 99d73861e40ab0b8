using System.Text.Json;

namespace Vtorc.Protocol.Rpc;

/// <summary>How Vitess's static auth files are read: Go's encoding/json matches keys case-insensitively and ignores unknown ones.</summary>
internal static class StaticAuthJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The file's text; <paramref name="setting"/> (e.g. the flag) and <paramref name="kind"/> name it in the error.</summary>
    /// <exception cref="ArgumentException">The file cannot be read.</exception>
    public static string ReadFile(string path, string setting, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{setting}: {kind} file \"{path}\" could not be read: {e.Message}", e);
        }
    }
}
