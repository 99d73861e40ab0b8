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
}
