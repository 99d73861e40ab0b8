using Microsoft.Data.Sqlite;

namespace Vtorc.Orchestrator.Store;

/// <summary>Where the store lives, decided from <c>--sqlite-data-file</c>.</summary>
public sealed record StoreLocation(bool InMemory, string Path)
{
    /// <summary>
    /// Empty, <c>:memory:</c> and any <c>file:</c> URI with <c>mode=memory</c> (Vitess's default spelling) mean
    /// in-memory; a <c>file:</c> URI otherwise names the path before its query; anything else is a file path.
    /// </summary>
    public static StoreLocation FromFlag(string? sqliteDataFile)
    {
        var value = (sqliteDataFile ?? "").Trim();
        if (value.Length == 0 || value == ":memory:")
            return new StoreLocation(true, "");
        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var query = value.IndexOf('?');
            var path = query < 0 ? value[5..] : value[5..query];
            var isMemory = path == ":memory:" ||
                           (query >= 0 && value[(query + 1)..].Split('&').Contains("mode=memory", StringComparer.OrdinalIgnoreCase));
            if (isMemory)
                return new StoreLocation(true, "");
            if (path.StartsWith("//", StringComparison.Ordinal))
                path = path[2..];
            return new StoreLocation(false, path);
        }
        return new StoreLocation(false, value);
    }

    /// <summary>In memory: a uniquely named shared-cache database that lives as long as the store's connection.</summary>
    public string ConnectionString(TimeSpan busyTimeout)
    {
        var builder = InMemory
            ? new SqliteConnectionStringBuilder
            {
                DataSource = "vtorc-store-" + Guid.NewGuid().ToString("N"),
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
            }
            : new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                // Closing must release the file (tests reopen and delete it; operators may copy it).
                Pooling = false,
            };
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        return builder.ToString();
    }

    public override string ToString() => InMemory ? "in-memory" : $"\"{Path}\"";
}
