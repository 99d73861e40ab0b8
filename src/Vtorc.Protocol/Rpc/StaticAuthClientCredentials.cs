using System.Text.Json;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// The credentials a client sends to a server that uses Vitess's static gRPC auth (go/vt/grpcclient/client_auth_static.go):
/// a JSON file <c>{"Username": "…", "Password": "…"}</c> (keys matched case-insensitively, as Go's encoding/json does),
/// sent as the request metadata <c>username</c> and <c>password</c> on every call.
/// </summary>
public sealed record StaticAuthClientCredentials(string Username, string Password)
{
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";

    /// <summary>The metadata entries of every call.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => [new(UsernameKey, Username), new(PasswordKey, Password)];

    /// <summary>Reads the file; <paramref name="setting"/> (e.g. the flag) names it in errors.</summary>
    public static StaticAuthClientCredentials Load(string path, string setting)
    {
        string text = StaticAuthJson.ReadFile(path, setting, "credentials");
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(text, StaticAuthJson.Options)
                ?? throw new ArgumentException($"{setting}: credentials file \"{path}\" holds null instead of {{\"Username\": …, \"Password\": …}}");
            return new StaticAuthClientCredentials(entry.Username ?? "", entry.Password ?? "");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{setting}: credentials file \"{path}\" is not JSON {{\"Username\": …, \"Password\": …}}: {e.Message}", e);
        }
    }

    /// <summary>Keeps the password out of logs and exception texts.</summary>
    public override string ToString() => $"static credentials of user \"{Username}\"";

    private sealed record Entry(string? Username, string? Password);
}
