using System.Collections;
using System.Text.Json;

namespace Vtorc.Agent;

/// <summary>
/// The MySQL accounts of a tablet agent: the one it manages mysqld with and the one replicas use to replicate
/// from it. Read from a file or the environment, never from the command line (a password there is visible to
/// every user of the machine through the process list).
/// </summary>
/// <remarks>
/// File formats (chosen by the first non-blank character):
/// JSON <c>{"user": "vt", "password": "…", "replication_user": "repl", "replication_password": "…"}</c>, or
/// key=value lines with the same keys (<c>#</c> starts a comment line). Environment variables
/// <see cref="UserVariable"/>, <see cref="PasswordVariable"/>, <see cref="ReplicationUserVariable"/> and
/// <see cref="ReplicationPasswordVariable"/> fill whatever the file does not give. The replication account
/// defaults to the management account.
/// </remarks>
public sealed record MySqlCredentials(string User, string Password, string ReplicationUser, string ReplicationPassword)
{
    public const string UserVariable = "VTORC_MYSQL_USER";
    public const string PasswordVariable = "VTORC_MYSQL_PASSWORD";
    public const string ReplicationUserVariable = "VTORC_REPLICATION_USER";
    public const string ReplicationPasswordVariable = "VTORC_REPLICATION_PASSWORD";

    private static readonly string[] Keys = ["user", "password", "replication_user", "replication_password"];

    /// <summary>Never prints the passwords.</summary>
    public override string ToString() => $"MySqlCredentials {{ User = {User}, ReplicationUser = {ReplicationUser} }}";

    /// <summary>Reads <paramref name="file"/> (if given) and the process environment.</summary>
    public static MySqlCredentials Load(string? file) => Load(file, Environment.GetEnvironmentVariables());

    /// <summary>
    /// Reads <paramref name="file"/> (if given) and <paramref name="environment"/>; throws
    /// <see cref="ArgumentException"/> naming the file or the missing setting.
    /// </summary>
    public static MySqlCredentials Load(string? file, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (file is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"cannot read MySQL credentials file \"{file}\": {e.Message}", nameof(file), e);
            }
            foreach (var (key, value) in Parse(text, file))
            {
                values[key] = value;
            }
        }

        string? Env(string name) => environment[name] as string;
        var user = Pick(values, "user", Env(UserVariable));
        if (string.IsNullOrEmpty(user))
        {
            throw new ArgumentException(
                $"no MySQL user: give \"user\" in the credentials file{(file is null ? " (--mysql-credentials-file)" : $" \"{file}\"")} or set {UserVariable}");
        }
        var password = Pick(values, "password", Env(PasswordVariable)) ?? "";
        var replicationUser = Pick(values, "replication_user", Env(ReplicationUserVariable));
        var replicationPassword = Pick(values, "replication_password", Env(ReplicationPasswordVariable));
        return string.IsNullOrEmpty(replicationUser)
            ? new MySqlCredentials(user, password, user, replicationPassword ?? password)
            : new MySqlCredentials(user, password, replicationUser, replicationPassword ?? "");
    }

    /// <summary>The key/value pairs of a credentials file text; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart();
        var values = trimmed.StartsWith('{') ? ParseJson(trimmed, source) : ParseLines(text, source);
        foreach (var key in values.Keys)
        {
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"MySQL credentials file \"{source}\" has unknown key \"{key}\" (expected {string.Join(", ", Keys)})");
            }
        }
        return values;
    }

    private static string? Pick(Dictionary<string, string> values, string key, string? fallback) =>
        values.TryGetValue(key, out var value) ? value : fallback;

    private static Dictionary<string, string> ParseJson(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"MySQL credentials file \"{source}\" is not a JSON object");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ArgumentException(
                        $"MySQL credentials file \"{source}\": \"{property.Name}\" must be a JSON string, found {property.Value.ValueKind}");
                }
                values[property.Name] = property.Value.GetString()!;
            }
        }
        catch (JsonException e)
        {
            // The parser's message may quote the file's text, which holds a password: report the position only.
            throw new ArgumentException(
                $"MySQL credentials file \"{source}\" is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine})");
        }
        return values;
    }

    private static Dictionary<string, string> ParseLines(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException(
                    $"MySQL credentials file \"{source}\" line {lineNumber} is not key=value (expected e.g. user=vt)");
            }
            values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return values;
    }
}
