using Vtorc.Replication;
using System.Globalization;

namespace Vtorc.Reparent.Decisions;

/// <summary>Server families whose versions can be compared with each other (Percona counts as MySQL).</summary>
public enum ServerFamily
{
    MySql,
    MariaDb,
}

/// <summary>
/// A candidate's database server version as FullStatus reports it (<c>version</c>, normalised
/// <c>major.minor.patch</c>, and <c>version_comment</c>), for the version-aware election of Vitess PR #20211
/// (go/vt/vtctl/reparentutil; docs/vitess-compatibility.md, "Reparents"): among equally advanced candidates the
/// lower version is promoted, because replicas must run the same or a newer version than their primary.
/// </summary>
public sealed record ServerVersion(ServerFamily Family, int Major, int Minor, int Patch)
{
    /// <summary>MySQL 8.0.34 is the first 8.0 release with bug fixes only; patches from there on replicate alike.</summary>
    public const int FirstBugFixOnly80Patch = 34;

    /// <summary>
    /// Reads FullStatus's <c>version</c> and <c>version_comment</c>; null when the version is empty or does not start
    /// with <c>major.minor</c> (such a candidate sorts after every candidate with a known version). "MariaDB" in either
    /// text, or a major version of 10 or more (MySQL's majors are 5, 8 and 9), makes it MariaDB: FullStatus carries
    /// only the normalised number, and MariaDB's version_comment often names just the distribution.
    /// </summary>
    public static ServerVersion? FromFullStatus(string? version, string? versionComment)
    {
        var text = (version ?? "").Trim();
        if (text.StartsWith("Ver ", StringComparison.Ordinal))
        {
            text = text[4..].TrimStart();
        }
        var numbers = new int[3];
        int parts = ServerVersionNumbers.ReadLeading(text, numbers);
        if (parts < 2)
        {
            return null;
        }
        bool mariaDb = text.Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
                       || (versionComment ?? "").Contains("MariaDB", StringComparison.OrdinalIgnoreCase)
                       || numbers[0] >= 10;
        return new ServerVersion(mariaDb ? ServerFamily.MariaDb : ServerFamily.MySql, numbers[0], numbers[1], numbers[2]);
    }

    /// <summary>
    /// Negative when <paramref name="a"/> is the better primary (lower version), zero when they replicate alike.
    /// Major, then minor; the patch only when both are 8.0 and the lower patch predates
    /// <see cref="FirstBugFixOnly80Patch"/>. Unknown (null) sorts last.
    /// </summary>
    public static int CompareForReplication(ServerVersion? a, ServerVersion? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : 1) : -1;
        }
        int c = a.Major.CompareTo(b.Major);
        if (c != 0)
        {
            return c;
        }
        c = a.Minor.CompareTo(b.Minor);
        if (c != 0)
        {
            return c;
        }
        bool bugFixOnly = a.Major != 8 || a.Minor != 0 || Math.Min(a.Patch, b.Patch) >= FirstBugFixOnly80Patch;
        return bugFixOnly ? 0 : a.Patch.CompareTo(b.Patch);
    }

    /// <summary>
    /// Versions of different families (MySQL or Percona against MariaDB) say nothing about which can replicate
    /// from which, so the order is not used when the known versions span more than one family.
    /// </summary>
    public static bool AreComparable(IEnumerable<ServerVersion?> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ServerFamily? seen = null;
        foreach (var version in versions)
        {
            if (version is null)
            {
                continue;
            }
            if (seen is { } family && family != version.Family)
            {
                return false;
            }
            seen = version.Family;
        }
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Family == ServerFamily.MariaDb ? "MariaDB" : "MySQL")} {Major}.{Minor}.{Patch}");
}
