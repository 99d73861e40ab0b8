using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// The users a server with Vitess's static gRPC auth admits (go/vt/servenv/grpc_server_auth_static.go,
/// <c>--grpc-auth-static-password-file</c>): a JSON array of <c>{"Username", "Password"}</c>, or
/// <c>{"Username", "CachingSha2Password"}</c> with the hex SHA256(SHA256(password)) (optionally with a leading '*') when
/// Password is empty. A call must carry the metadata <c>username</c> and <c>password</c> of one of them: without them
/// it fails UNAUTHENTICATED, with a wrong password PERMISSION_DENIED, with the texts Vitess uses.
/// </summary>
public sealed class StaticAuthUsers
{
    private readonly IReadOnlyList<User> _users;

    private StaticAuthUsers(IReadOnlyList<User> users) => _users = users;

    public int Count => _users.Count;

    /// <summary>Reads the password file; <paramref name="setting"/> (e.g. the flag) names it in errors.</summary>
    public static StaticAuthUsers Load(string path, string setting)
    {
        string text = StaticAuthJson.ReadFile(path, setting, "password");
        return Parse(text, $"{setting}: password file \"{path}\"");
    }

    /// <summary>Parses the file's content; <paramref name="what"/> starts error texts.</summary>
    public static StaticAuthUsers Parse(string json, string what)
    {
        Entry[]? entries;
        try
        {
            entries = JsonSerializer.Deserialize<Entry[]>(json, StaticAuthJson.Options);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{what} is not a JSON array of {{\"Username\": …, \"Password\": …}}: {e.Message}", e);
        }
        var users = new List<User>();
        foreach (var (entry, index) in (entries ?? []).Select((e, i) => (e, i)))
        {
            byte[]? hash = null;
            if (string.IsNullOrEmpty(entry.Password) && !string.IsNullOrEmpty(entry.CachingSha2Password))
            {
                var hex = entry.CachingSha2Password.TrimStart('*');
                try
                {
                    hash = Convert.FromHexString(hex);
                }
                catch (FormatException)
                {
                    throw new ArgumentException($"{what}: entry {index} (user {entry.Username}) has a CachingSha2Password that is not hexadecimal");
                }
                if (hash.Length != SHA256.HashSizeInBytes)
                {
                    throw new ArgumentException(
                        $"{what}: entry {index} (user {entry.Username}) has a CachingSha2Password of {hex.Length} hex digits, expected {SHA256.HashSizeInBytes * 2}");
                }
            }
            users.Add(new User(entry.Username ?? "", Encoding.UTF8.GetBytes(entry.Password ?? ""), hash));
        }
        return new StaticAuthUsers(users);
    }

    /// <summary>Null when the call's metadata names a known user with its password; otherwise the status to fail the call with.</summary>
    public Status? Check(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var username = headers.GetValue(StaticAuthClientCredentials.UsernameKey);
        var password = headers.GetValue(StaticAuthClientCredentials.PasswordKey);
        if (username is null || password is null)
        {
            return new Status(StatusCode.Unauthenticated, "username and password must be provided");
        }
        var given = Encoding.UTF8.GetBytes(password);
        foreach (var user in _users)
        {
            if (user.Username != username)
            {
                continue;
            }
            bool matches = user.PasswordHash is { } hash
                ? CryptographicOperations.FixedTimeEquals(SHA256.HashData(SHA256.HashData(given)), hash)
                : CryptographicOperations.FixedTimeEquals(given, user.Password);
            if (matches)
            {
                return null;
            }
        }
        return new Status(StatusCode.PermissionDenied, $"auth failure: caller \"{username}\" provided invalid credentials");
    }

    private sealed record Entry(string? Username, string? Password, string? CachingSha2Password);

    private sealed record User(string Username, byte[] Password, byte[]? PasswordHash);
}
