using Vtorc.Replication;
using System.Globalization;
using MySqlConnector;

namespace Vtorc.Agent.MySql;

/// <summary>
/// The server product and version, from <c>@@version</c> and <c>@@version_comment</c>:
/// "10.11.19-MariaDB-0+deb12u1-log" is MariaDB 10.11.19, "8.0.36" is MySQL 8.0.36, a "Percona" comment marks Percona.
/// </summary>
public sealed record MySqlFlavor(MySqlServerKind Kind, int Major, int Minor, int Patch, string RawVersion, string VersionComment)
{
    /// <summary>The normalised "major.minor.patch" (FullStatus.version).</summary>
    public string Version => $"{Major}.{Minor}.{Patch}";

    public bool IsMariaDb => Kind == MySqlServerKind.MariaDb;

    /// <summary>"MariaDB 10.11", "MySQL 8.0", "MySQL 8.4", "Percona 8.0".</summary>
    public string Family => $"{KindName} {Major}.{Minor}";

    /// <summary>The replication position flavor prefix (docs/wire-format.md, "Replication positions"): "MariaDB" or
    /// "MySQL56".</summary>
    public string PositionFlavor => IsMariaDb ? "MariaDB" : "MySQL56";

    private string KindName => Kind switch
    {
        MySqlServerKind.MariaDb => "MariaDB",
        MySqlServerKind.Percona => "Percona",
        _ => "MySQL",
    };

    public override string ToString() => $"{KindName} {Version} ({RawVersion})";

    /// <summary>Reads the server's version variables over <paramref name="connection"/>.</summary>
    public static async Task<MySqlFlavor> DetectAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = await connection.QueryAsync("SELECT @@version AS version, @@version_comment AS version_comment", cancellationToken)
            .ConfigureAwait(false);
        var row = result.SingleRowOrDefault()
            ?? throw new InvalidOperationException($"SELECT @@version on {connection.DataSource} returned no row");
        return Parse(row["version"] ?? "", row["version_comment"] ?? "");
    }

    /// <summary>Parses a version and comment; throws <see cref="FormatException"/> quoting a version without major.minor.</summary>
    public static MySqlFlavor Parse(string version, string versionComment)
    {
        ArgumentNullException.ThrowIfNull(version);
        versionComment ??= "";
        var isMariaDb = version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
            || versionComment.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
        var text = version.Trim();
        // MariaDB 10.x once prefixed its handshake version with "5.5.5-" for old replication clients.
        if (isMariaDb && text.StartsWith("5.5.5-", StringComparison.Ordinal))
        {
            text = text["5.5.5-".Length..];
        }

        var numbers = new int[3];
        int parts = ServerVersionNumbers.ReadLeading(text, numbers);
        if (parts < 2)
        {
            throw new FormatException($"MySQL version \"{version}\" does not start with major.minor");
        }

        var kind = isMariaDb
            ? MySqlServerKind.MariaDb
            : versionComment.Contains("Percona", StringComparison.OrdinalIgnoreCase) ? MySqlServerKind.Percona : MySqlServerKind.MySql;
        return new MySqlFlavor(kind, numbers[0], numbers[1], numbers[2], version, versionComment);
    }
}
