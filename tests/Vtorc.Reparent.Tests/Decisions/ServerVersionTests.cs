using Vtorc.Reparent.Decisions;

namespace Vtorc.Reparent.Tests.Decisions;

public class ServerVersionTests
{
    private static ServerVersion V(string version, string comment = "") =>
        ServerVersion.FromFullStatus(version, comment) ?? throw new Xunit.Sdk.XunitException($"\"{version}\" did not parse");

    [Theory]
    [InlineData("8.0.40", "MySQL Community Server - GPL", ServerFamily.MySql, 8, 0, 40)]
    [InlineData("8.0.36", "Percona Server (GPL), Release 28", ServerFamily.MySql, 8, 0, 36)]
    [InlineData("Ver 8.4.2 Source distribution", "", ServerFamily.MySql, 8, 4, 2)]
    [InlineData("10.11.6", "Debian 12", ServerFamily.MariaDb, 10, 11, 6)]
    [InlineData("10.11.6-MariaDB-0+deb12u1", "Debian 12", ServerFamily.MariaDb, 10, 11, 6)]
    [InlineData("11.4", "mariadb.org binary distribution", ServerFamily.MariaDb, 11, 4, 0)]
    public void Reads_the_version_and_family_FullStatus_reports(string version, string comment, ServerFamily family, int major, int minor, int patch)
    {
        Assert.Equal(new ServerVersion(family, major, minor, patch), ServerVersion.FromFullStatus(version, comment));
    }

    [Theory]
    [InlineData("")]
    [InlineData("8")]
    [InlineData("unknown")]
    [InlineData(null)]
    public void A_missing_or_unparsable_version_is_unknown(string? version)
    {
        Assert.Null(ServerVersion.FromFullStatus(version, "MySQL Community Server - GPL"));
    }

    [Theory]
    [InlineData("5.7.44", "8.0.1")]
    [InlineData("8.0.20", "8.0.35")]
    [InlineData("8.0.33", "8.0.34")]
    [InlineData("8.0.35", "8.4.0")]
    [InlineData("8.4.9", "9.1.0")]
    [InlineData("10.6.20", "10.11.2")]
    public void The_lower_version_is_the_better_primary(string lower, string higher)
    {
        Assert.True(ServerVersion.CompareForReplication(V(lower), V(higher)) < 0);
        Assert.True(ServerVersion.CompareForReplication(V(higher), V(lower)) > 0);
    }

    [Theory]
    [InlineData("8.0.34", "8.0.40")]
    [InlineData("8.0.40", "8.0.35")]
    [InlineData("8.4.0", "8.4.6")]
    [InlineData("5.7.20", "5.7.44")]
    [InlineData("10.11.2", "10.11.9")]
    public void Bug_fix_only_releases_replicate_alike(string a, string b)
    {
        Assert.Equal(0, ServerVersion.CompareForReplication(V(a), V(b)));
        Assert.Equal(0, ServerVersion.CompareForReplication(V(b), V(a)));
    }

    [Fact]
    public void An_unknown_version_sorts_after_every_known_one()
    {
        Assert.True(ServerVersion.CompareForReplication(V("9.9.9"), null) < 0);
        Assert.True(ServerVersion.CompareForReplication(null, V("5.7.1")) > 0);
        Assert.Equal(0, ServerVersion.CompareForReplication(null, null));
    }

    [Fact]
    public void Versions_of_MySQL_and_MariaDB_together_are_not_comparable_but_unknown_ones_do_not_count()
    {
        Assert.True(ServerVersion.AreComparable([V("8.0.40"), V("8.0.36", "Percona Server"), null]));
        Assert.True(ServerVersion.AreComparable([V("10.6.1"), null, V("11.4.2")]));
        Assert.False(ServerVersion.AreComparable([V("8.0.40"), V("10.11.6")]));
    }
}
