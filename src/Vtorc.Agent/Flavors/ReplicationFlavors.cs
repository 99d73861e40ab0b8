using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Flavors;

/// <summary>Picks the <see cref="IReplicationFlavor"/> for a server.</summary>
internal static class ReplicationFlavors
{
    /// <summary>
    /// MariaDB 10.6+ → "MariaDB"; MySQL/Percona 8.0 → "MySQL80"; 8.1+ (8.4, 9.x) → "MySQL84". Statement details
    /// follow the exact version (e.g. CHANGE REPLICATION SOURCE TO from 8.0.23). <paramref name="quote"/> makes
    /// string literals for hosts, users, passwords and positions: pass the function from <c>MySqlCalls.StringQuoterAsync</c>; the default
    /// <see cref="SqlLiteral.Quote"/> assumes the default sql_mode.
    /// </summary>
    /// <exception cref="NotSupportedException">The server is older than MariaDB 10.6 or MySQL 8.0; the message quotes its version.</exception>
    public static IReplicationFlavor For(MySqlFlavor server, Func<string, string>? quote = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        quote ??= SqlLiteral.Quote;
        if (server.IsMariaDb)
        {
            if (server.Major < 10 || (server.Major == 10 && server.Minor < 6))
            {
                throw new NotSupportedException($"MariaDB {server.Version} (\"{server.RawVersion}\") is not supported: MariaDB 10.6 or newer is needed");
            }
            return new MariaDbReplicationFlavor(server, quote);
        }
        if (server.Major < 8)
        {
            throw new NotSupportedException($"MySQL {server.Version} (\"{server.RawVersion}\") is not supported: MySQL 8.0 or newer is needed");
        }
        return new MySqlReplicationFlavor(server, quote);
    }

    /// <summary>From <c>@@version</c> and <c>@@version_comment</c>.</summary>
    public static IReplicationFlavor For(string version, string versionComment, Func<string, string>? quote = null) =>
        For(MySqlFlavor.Parse(version, versionComment), quote);
}
